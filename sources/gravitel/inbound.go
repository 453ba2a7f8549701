package gravitel

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/sources/phone"
)

// ErrInvalidParameters reports an inbound request whose cmd or parameters
// are missing or malformed. Answer it with StatusInvalidParameters and
// InvalidParametersResponse.
var ErrInvalidParameters = errors.New("gravitel: invalid parameters")

// Inbound error answers, exactly as the seed specifies.
const (
	StatusInvalidParameters = http.StatusBadRequest
	StatusInvalidToken      = http.StatusUnauthorized
)

// ErrorResponse is the PBX protocol's error body, {"error":"…"}.
type ErrorResponse struct {
	Error string `json:"error"`
}

// The two error bodies our webhook answers.
var (
	InvalidParametersResponse = ErrorResponse{Error: "Invalid parameters"}
	InvalidTokenResponse      = ErrorResponse{Error: "Invalid token"}
)

// Directions of cmd=history.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// StartLayout is the format of history's start parameter.
const StartLayout = "20060102T150405Z"

// Command is one parsed inbound request: UsersCommand, ContactCommand,
// EventCommand or HistoryCommand.
type Command interface {
	// Cmd is the cmd parameter: "users", "contact", "event" or "history".
	Cmd() string
}

// UsersCommand (cmd=users) asks for our users; answer UsersResponse.
type UsersCommand struct{}

// ContactCommand (cmd=contact) asks who is calling from Phone; answer
// ContactResponse (200 with an empty contact_name when unknown).
type ContactCommand struct {
	Phone  string // normalized E.164 digits
	CallID string
}

// EventCommand (cmd=event) is a state change of an incoming call; answer
// 200 with an empty body.
type EventCommand struct {
	Type      string // upper-cased as sent; the seed names INCOMING, ACCEPTED, COMPLETED and CANCELLED
	Phone     string // caller, normalized
	Diversion string // our number the call came through, normalized; may be empty
	User      string // CRM user id (or PBX account when self_map)
	CallID    string
}

// HistoryCommand (cmd=history) reports a finished call, in or out; answer
// 200 with an empty body.
type HistoryCommand struct {
	Type      string // DirectionIn or DirectionOut
	User      string
	Phone     string // normalized
	Diversion string // normalized; may be empty
	Duration  int    // total seconds, ringing included
	CallID    string
	Link      string    // recording URL(s) as sent, may be empty
	Links     []string  // Link split on '|'
	Start     time.Time // zero when the PBX did not send start
	Status    string    // as sent (e.g. "Success", "missed"); may be empty
}

// Cmd implements Command.
func (UsersCommand) Cmd() string { return "users" }

// Cmd implements Command.
func (ContactCommand) Cmd() string { return "contact" }

// Cmd implements Command.
func (EventCommand) Cmd() string { return "event" }

// Cmd implements Command.
func (HistoryCommand) Cmd() string { return "history" }

// User is one of our users, for the PBX's user mapping.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// UsersResponse answers cmd=users.
type UsersResponse struct {
	Users []User `json:"users"`
}

// ContactResponse answers cmd=contact. Responsible is the id of the user in
// charge of the contact; the PBX routes the call to that user.
type ContactResponse struct {
	ContactName string
	Responsible string
}

// MarshalJSON writes {"contact_name":…,"responsible":…}, responsible as a
// number when it is all digits (as the seed shows) and omitted when empty.
func (c ContactResponse) MarshalJSON() ([]byte, error) {
	m := map[string]any{"contact_name": c.ContactName}
	switch r := c.Responsible; {
	case r == "":
	case strings.Trim(r, "0123456789") == "" && len(r) < 16 && (r == "0" || r[0] != '0'):
		m["responsible"] = json.Number(r)
	default:
		m["responsible"] = r
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads responsible as a number or a string.
func (c *ContactResponse) UnmarshalJSON(b []byte) error {
	var raw struct {
		ContactName string          `json:"contact_name"`
		Responsible json.RawMessage `json:"responsible"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	c.ContactName, c.Responsible = raw.ContactName, ""
	r := strings.TrimSpace(string(raw.Responsible))
	switch {
	case r == "" || r == "null":
	case r[0] == '"':
		return json.Unmarshal(raw.Responsible, &c.Responsible)
	default:
		var n json.Number
		if err := json.Unmarshal(raw.Responsible, &n); err != nil {
			return err
		}
		c.Responsible = n.String()
	}
	return nil
}

// CheckToken reports whether form carries crm_token equal to expected, in
// constant time. An empty expected token never matches.
func CheckToken(form url.Values, expected string) bool {
	got := form.Get("crm_token")
	if expected == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(expected)) == 1
}

// ParseInbound parses one request the PBX sent to our webhook. It does not
// look at crm_token (see CheckToken). Any missing or malformed parameter
// gives ErrInvalidParameters.
func ParseInbound(form url.Values) (Command, error) {
	p := params(form)
	cmd := parse(p)
	if p.err != nil || cmd == nil {
		return nil, ErrInvalidParameters
	}
	return cmd, nil
}

func parse(p *reader) Command {
	switch p.get("cmd") {
	case "users", "user":
		return UsersCommand{}
	case "contact":
		c := ContactCommand{Phone: p.phone("phone", true), CallID: p.required("callid")}
		return c
	case "event":
		e := EventCommand{
			Type:      strings.ToUpper(p.required("type")),
			Phone:     p.phone("phone", true),
			Diversion: p.phone("diversion", false),
			User:      p.required("user"),
			CallID:    p.required("callid"),
		}
		return e
	case "history":
		h := HistoryCommand{
			Type:      strings.ToLower(p.required("type")),
			User:      p.required("user"),
			Phone:     p.phone("phone", true),
			Diversion: p.phone("diversion", false),
			Duration:  p.duration("duration"),
			CallID:    p.required("callid"),
			Link:      p.get("link"),
			Start:     p.start("start"),
			Status:    p.get("status"),
		}
		if h.Type != DirectionIn && h.Type != DirectionOut {
			p.err = ErrInvalidParameters
		}
		for _, l := range strings.Split(h.Link, "|") {
			if l = strings.TrimSpace(l); l != "" {
				h.Links = append(h.Links, l)
			}
		}
		return h
	}
	return nil
}

// reader reads form values, remembering whether any was bad.
type reader struct {
	form url.Values
	err  error
}

func params(form url.Values) *reader { return &reader{form: form} }

func (r *reader) get(k string) string { return strings.TrimSpace(r.form.Get(k)) }

func (r *reader) required(k string) string {
	v := r.get(k)
	if v == "" {
		r.err = ErrInvalidParameters
	}
	return v
}

func (r *reader) phone(k string, required bool) string {
	v := r.get(k)
	if v == "" {
		if required {
			r.err = ErrInvalidParameters
		}
		return ""
	}
	n, err := phone.Normalize(v)
	if err != nil {
		r.err = ErrInvalidParameters
	}
	return n
}

// duration reads whole seconds; the seed types it "number", so a decimal
// ("124.0", "12.5") is read too and rounded.
func (r *reader) duration(k string) int {
	v := r.required(k)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return n
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > math.MaxInt32 || math.IsNaN(f) {
		r.err = ErrInvalidParameters
		return 0
	}
	return int(math.Round(f))
}

func (r *reader) start(k string) time.Time {
	v := r.get(k)
	if v == "" {
		return time.Time{}
	}
	for _, layout := range []string{StartLayout, time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC()
		}
	}
	r.err = ErrInvalidParameters
	return time.Time{}
}
