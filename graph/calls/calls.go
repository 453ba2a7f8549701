// Package calls stores the PBX calls the gateway hears about (Gravitel
// events and histories), for Query.calls and the call fields of vehicles
// and customers. Two implementations share one contract: OpenBolt, an
// embedded file (sandbox and single replica), and NewRedis, shared by
// several replicas.
//
// Writes are idempotent by call id because the PBX resends: an event is
// identified by (Type, User) within its call — the PBX sends each type at
// most once per rung user, and a resend carries no timestamp of its own —
// so a second identical event keeps the first one's At. A history
// overwrites the call's summary with the PBX's final word and marks the
// call Finished; a resent history changes nothing.
//
// Lists are newest first by StartedAt, ties by id (ascending), with an
// opaque cursor naming a position (time, id), so a call whose StartedAt
// moves (the history's start replacing the first event's time) never
// breaks a cursor that was handed out.
package calls

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Directions.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// Statuses of a call.
const (
	StatusRinging   = "RINGING"   // INCOMING seen, nobody answered yet
	StatusAnswered  = "ANSWERED"  // someone picked up, the call goes on
	StatusCompleted = "COMPLETED" // answered and over
	StatusMissed    = "MISSED"    // over without an answer (PBX CANCELLED, history "missed")
	StatusBusy      = "BUSY"      // the other side was busy
	StatusFailed    = "FAILED"    // could not be placed (not available, not allowed)
)

// Event types, as the PBX names them (the only place they are declared:
// the PBX client reads a type as sent).
const (
	EventIncoming  = "INCOMING"
	EventAccepted  = "ACCEPTED"
	EventCompleted = "COMPLETED"
	EventCancelled = "CANCELLED"
)

// KnownEvent reports whether t is one of the event types above.
func KnownEvent(t string) bool {
	switch t {
	case EventIncoming, EventAccepted, EventCompleted, EventCancelled:
		return true
	}
	return false
}

// Page sizes of List.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// ErrInvalidCursor is returned by List for an After it did not make.
var ErrInvalidCursor = errors.New("calls: invalid cursor")

// Event is one PBX notification about a call.
type Event struct {
	Type string    `json:"type"` // INCOMING, ACCEPTED, COMPLETED, CANCELLED
	At   time.Time `json:"at"`   // when we received it
	User string    `json:"user,omitempty"`
}

// Call is what we know of one call (one PBX callid).
type Call struct {
	ID              string    `json:"id"`
	Direction       string    `json:"direction"` // DirectionIn or DirectionOut
	Phone           string    `json:"phone"`     // the customer, E.164 digits
	Diversion       string    `json:"diversion,omitempty"`
	User            string    `json:"user,omitempty"` // who answered (or was rung last)
	DurationSeconds int       `json:"durationSeconds"`
	RecordingURL    string    `json:"recordingUrl,omitempty"` // the first of RecordingURLs (the only one in calls stored before there were several)
	RecordingURLs   []string  `json:"recordingUrls,omitempty"`
	StartedAt       time.Time `json:"startedAt"`
	EndedAt         time.Time `json:"endedAt,omitzero"`
	Status          string    `json:"status"`
	Finished        bool      `json:"finished"` // the history arrived: the summary is final
	Events          []Event   `json:"events"`   // oldest first; none for outbound calls
}

// CallPatch carries the call fields an event tells; empty fields change
// nothing.
type CallPatch struct {
	Direction string
	Phone     string
	Diversion string
	// User is taken when the call has no user yet or the event is ACCEPTED
	// (in a group call every member is rung; the one who answers owns it).
	User string
}

// History is the PBX's summary of a finished call.
type History struct {
	CallID          string
	Direction       string
	Phone           string
	Diversion       string
	User            string
	DurationSeconds int       // total, ringing included
	RecordingURLs   []string  // every recording, in the PBX's order
	StartedAt       time.Time // zero when the PBX did not say
	Status          string    // one of the Status constants; empty: derived from the events
	ReceivedAt      time.Time // when we received it; now when zero
}

// Filter selects calls for List. Zero fields do not filter.
type Filter struct {
	Phone string    // E.164 digits
	User  string    // PBX / CRM user
	Since time.Time // StartedAt >= Since
	Until time.Time // StartedAt < Until
	First int       // page size: DefaultPageSize when <= 0, at most MaxPageSize
	After string    // a Page.EndCursor
}

// Page is one page of List.
type Page struct {
	Calls       []Call
	EndCursor   string // cursor of the last call of the page; empty when the page is empty
	HasNextPage bool
	TotalCount  int // calls matching the filter, all pages together
}

// Store keeps calls. Implementations are safe for concurrent use, also
// across processes sharing the same backend.
type Store interface {
	// RecordEvent adds ev to call callID (creating it) and applies patch.
	RecordEvent(ctx context.Context, callID string, ev Event, patch CallPatch) (Call, error)
	// RecordHistory applies the PBX's final summary of call h.CallID.
	RecordHistory(ctx context.Context, h History) (Call, error)
	// Get returns the call, and false when it is unknown.
	Get(ctx context.Context, id string) (Call, bool, error)
	// List returns calls newest first.
	List(ctx context.Context, f Filter) (Page, error)
	Close() error
}

// applyEvent is the merge rule shared by every Store.
func applyEvent(c *Call, callID string, ev Event, patch CallPatch) {
	c.ID = callID
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	ev.At = ev.At.UTC()
	if patch.Direction != "" {
		c.Direction = patch.Direction
	}
	if c.Direction == "" {
		c.Direction = DirectionIn // the PBX sends events for incoming calls only
	}
	if patch.Phone != "" {
		c.Phone = patch.Phone
	}
	if patch.Diversion != "" {
		c.Diversion = patch.Diversion
	}
	if patch.User != "" && (c.User == "" || ev.Type == EventAccepted) && !c.Finished {
		c.User = patch.User
	}
	if !slices.ContainsFunc(c.Events, func(e Event) bool { return e.Type == ev.Type && e.User == ev.User }) {
		c.Events = append(c.Events, ev)
		slices.SortStableFunc(c.Events, func(a, b Event) int { return a.At.Compare(b.At) })
	}
	if c.Finished {
		return
	}
	if c.StartedAt.IsZero() || ev.At.Before(c.StartedAt) {
		c.StartedAt = ev.At
	}
	if (ev.Type == EventCompleted || ev.Type == EventCancelled) && ev.At.After(c.EndedAt) {
		c.EndedAt = ev.At
	}
	c.Status = statusFromEvents(c.Events)
}

// Live reports whether ev, just given to RecordEvent, is news to publish to
// live subscribers, judging by c, the call RecordEvent returned. It is not
// when:
//   - the call already had that event (same type for the same user): a resend
//     or a replay. The stored event keeps the first receipt's At, so ev is
//     ours only if its At is the one stored; with a shared store exactly one
//     replica wins that write, so an event is published once across replicas;
//   - it tells an older state than the call already reached: an INCOMING or
//     ACCEPTED once the history arrived or the call was COMPLETED, or any
//     event of a user whose later event (ACCEPTED after INCOMING, COMPLETED
//     or CANCELLED after either) was received first.
func Live(c Call, ev Event) bool {
	i := slices.IndexFunc(c.Events, func(e Event) bool { return e.Type == ev.Type && e.User == ev.User })
	if i < 0 || !c.Events[i].At.Equal(ev.At) {
		return false
	}
	if stage(ev.Type) < stage(EventCompleted) &&
		(c.Finished || slices.ContainsFunc(c.Events, func(e Event) bool { return e.Type == EventCompleted })) {
		return false
	}
	return !slices.ContainsFunc(c.Events, func(e Event) bool { return e.User == ev.User && stage(e.Type) > stage(ev.Type) })
}

// stage orders the events of one user's leg of a call.
func stage(typ string) int {
	switch typ {
	case EventIncoming:
		return 0
	case EventAccepted:
		return 1
	}
	return 2 // COMPLETED, CANCELLED: the leg is over
}

func statusFromEvents(evs []Event) string {
	has := func(t string) bool {
		return slices.ContainsFunc(evs, func(e Event) bool { return e.Type == t })
	}
	switch {
	case has(EventCompleted):
		return StatusCompleted
	case has(EventAccepted):
		return StatusAnswered
	case has(EventCancelled):
		return StatusMissed
	default:
		return StatusRinging
	}
}

// applyHistory is the merge rule for a history.
func applyHistory(c *Call, h History) {
	c.ID = h.CallID
	if h.Direction != "" {
		c.Direction = h.Direction
	}
	if h.Phone != "" {
		c.Phone = h.Phone
	}
	if h.Diversion != "" {
		c.Diversion = h.Diversion
	}
	if h.User != "" {
		c.User = h.User
	}
	c.DurationSeconds = h.DurationSeconds
	if len(h.RecordingURLs) > 0 {
		c.RecordingURLs = slices.Clone(h.RecordingURLs)
		c.RecordingURL = h.RecordingURLs[0]
	}
	switch {
	case !h.StartedAt.IsZero():
		c.StartedAt = h.StartedAt.UTC()
	case c.StartedAt.IsZero():
		at := h.ReceivedAt
		if at.IsZero() {
			at = time.Now()
		}
		c.StartedAt = at.UTC().Add(-time.Duration(h.DurationSeconds) * time.Second)
	}
	c.EndedAt = c.StartedAt.Add(time.Duration(h.DurationSeconds) * time.Second)
	c.Status = h.Status
	if c.Status == "" {
		c.Status = derivedFinalStatus(c)
	}
	c.Finished = true
}

// Recordings lists every recording of c, also for a call stored when only
// the first was kept.
func (c Call) Recordings() []string {
	switch {
	case len(c.RecordingURLs) > 0:
		return c.RecordingURLs
	case c.RecordingURL != "":
		return []string{c.RecordingURL}
	}
	return []string{}
}

func derivedFinalStatus(c *Call) string {
	if slices.ContainsFunc(c.Events, func(e Event) bool { return e.Type == EventAccepted || e.Type == EventCompleted }) {
		return StatusCompleted
	}
	if c.Direction == DirectionOut && c.RecordingURL != "" {
		return StatusCompleted
	}
	return StatusMissed
}

func validID(id string) error {
	if id == "" || len(id) > 256 || strings.ContainsAny(id, "\x00\n") {
		return errors.New("calls: invalid call id")
	}
	return nil
}

// matches applies the filter fields an index did not already apply.
func matches(c Call, f Filter) bool {
	return (f.Phone == "" || c.Phone == f.Phone) &&
		(f.User == "" || c.User == f.User) &&
		(f.Since.IsZero() || !c.StartedAt.Before(f.Since)) &&
		(f.Until.IsZero() || c.StartedAt.Before(f.Until))
}

func pageSize(n int) int {
	switch {
	case n <= 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// position orders calls newest first: the inverted start time, big endian,
// then the id. Both stores sort their indexes by it.
type position struct {
	inv uint64
	id  string
}

func positionOf(c Call) position { return position{inv: invTime(c.StartedAt), id: c.ID} }

func invTime(t time.Time) uint64 { return ^uint64(t.UnixNano()) }

func (p position) bytes() []byte {
	b := binary.BigEndian.AppendUint64(nil, p.inv)
	return append(b, p.id...)
}

func (p position) cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatUint(p.inv, 16) + ":" + p.id))
}

func parseCursor(s string) (position, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return position{}, ErrInvalidCursor
	}
	hex, id, ok := strings.Cut(string(b), ":")
	inv, err := strconv.ParseUint(hex, 16, 64)
	if !ok || err != nil || validID(id) != nil {
		return position{}, ErrInvalidCursor
	}
	return position{inv: inv, id: id}, nil
}

// Cursor is the position of c in a list, for After.
func Cursor(c Call) string { return positionOf(c).cursor() }
