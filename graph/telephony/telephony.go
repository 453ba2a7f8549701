// Package telephony serves Gravitel both ways: the PBX's webhook
// (users, contact, event, history) and, for the resolvers, the call log,
// live call events, the caller lookup, the PBX accounts and makeCall.
//
// Choices where the issue and the seed are silent:
//   - A call event is stored before it is published, and the webhook answers
//     200 only once the store has it: a 200 is never a lost write. A failed
//     store answers 500 {"error":"Storage unavailable"} so the PBX resends.
//   - cmd=users answers the users of every Clavus team. When Clavus cannot
//     be reached the webhook answers 502 {"error":"Users unavailable"}
//     rather than an empty list, which the PBX would read as "no users" and
//     unmap every account.
//   - cmd=contact answers within ContactTimeout (1 s) whatever happens:
//     past it, or on any lookup failure, the contact is empty (200), and the
//     PBX rings its default route.
package telephony

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"switchboard/graph/cache"
	"switchboard/graph/calls"
	"switchboard/graph/errs"
	"switchboard/graph/idempotency"
	"switchboard/graph/pubsub"
	"switchboard/sources/gravitel"
	"switchboard/sources/phone"
)

// Source is the cache and error namespace.
const Source = gravitel.Source

// topic carries CallEvents between replicas.
const topic = "call-events"

// ContactTimeout bounds the caller lookup: the phone is ringing.
const ContactTimeout = time.Second

// contactTTL keeps a caller lookup: a caller often calls back within minutes.
const contactTTL = 10 * time.Minute

// maxCustomerCalls bounds Customer.calls and Vehicle.calls.
const maxCustomerCalls = 50

// Contact is who calls from a phone.
type Contact struct {
	Phone       string `json:"phone"`
	Name        string `json:"name"`
	Responsible string `json:"responsible,omitempty"`
	Source      string `json:"source"` // CLAVUS, MMP, MSEM
	RecordID    string `json:"recordId"`
}

// Lookup finds who calls from a normalized phone in one source; found is
// false when nobody does there.
type Lookup struct {
	// Source is what the caller lookup's timeout names when it runs out of
	// time while asking Find ("clavus", or "store" for the gateway's own).
	Source string
	Find   func(ctx context.Context, phone string) (c Contact, found bool, err error)
}

// Users lists the CRM users the PBX maps its accounts to.
type Users func(ctx context.Context) ([]gravitel.User, error)

// Event is a live call event, as published to subscribers.
type Event struct {
	CallID    string     `json:"callId"`
	Type      string     `json:"type"`
	Phone     string     `json:"phone"`
	Diversion string     `json:"diversion,omitempty"`
	User      string     `json:"user,omitempty"`
	At        time.Time  `json:"at"`
	Call      calls.Call `json:"call"`
}

// Options configure a Service.
type Options struct {
	Client   *gravitel.Client
	Store    calls.Store
	Bus      pubsub.Bus
	Cache    *cache.Cache
	CRMToken string // what the PBX must present as crm_token
	// Lookups are tried in order by the caller lookup; Users answers
	// cmd=users. Either may be nil.
	Lookups []Lookup
	Users   Users
	Logger  *slog.Logger
	Now     func() time.Time
	// Registration retry bounds and check period (KeepRegistered); the
	// Default* values when zero.
	RegisterBackoffMin time.Duration
	RegisterBackoffMax time.Duration
	RegisterRecheck    time.Duration
	// Marks backs the duplicate-call rule across replicas (nil: no rule).
	Marks Marks
}

// Registration defaults: a PBX back after an outage has our webhook within
// DefaultRegisterBackoffMax; a PBX that forgot us silently is noticed within
// DefaultRegisterRecheck.
const (
	DefaultRegisterBackoffMin = 500 * time.Millisecond
	DefaultRegisterBackoffMax = 30 * time.Second
	DefaultRegisterRecheck    = 5 * time.Minute
)

// Marks remembers keys for a while; Mark reports whether key was new
// (force: remember it anyway). graph/idempotency implements it.
type Marks interface {
	Mark(ctx context.Context, key string, ttl time.Duration, force bool) (bool, error)
	Unmark(ctx context.Context, key string) error
}

// DuplicateCallWindow is how long the same (phone, user) makeCall is taken
// for a double click and refused, unless the client sends a new
// idempotency key: a customer is never rung twice by accident.
const DuplicateCallWindow = 30 * time.Second

// settleWindow is how far around the request a PBX history may start and
// still be the call that request placed.
const settleWindow = 2 * time.Minute

// Service is Gravitel for the resolvers and the webhook.
type Service struct {
	o Options
	// asking maps a phone being looked up to the Lookup it waits for, so a
	// lookup that runs out of time can say which source it was waiting for.
	asking sync.Map // string → string
}

// New builds a Service.
func New(o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.RegisterBackoffMin = cmp.Or(o.RegisterBackoffMin, DefaultRegisterBackoffMin)
	o.RegisterBackoffMax = cmp.Or(o.RegisterBackoffMax, DefaultRegisterBackoffMax)
	o.RegisterRecheck = cmp.Or(o.RegisterRecheck, DefaultRegisterRecheck)
	return &Service{o: o}
}

// Login logs in to the PBX (registering our webhook and token).
func (s *Service) Login(ctx context.Context) error { return s.o.Client.Login(ctx) }

// Registered reports whether the PBX holds our webhook registration as far
// as we know (false until the first login succeeds).
func (s *Service) Registered() bool { return s.o.Client.Registered() }

// KeepRegistered keeps our webhook registered with the PBX until ctx ends,
// with no client request needed: it logs in, retrying with jittered
// exponential backoff (RegisterBackoffMin doubling up to RegisterBackoffMax)
// until the PBX accepts; then it asks the PBX every RegisterRecheck whether
// it still knows our token (cmd=accounts, no side effect), and logs in again
// at once when the PBX refused it there or on any other call (401).
// onRegistered, when not nil, runs after the first successful login.
func (s *Service) KeepRegistered(ctx context.Context, onRegistered func()) {
	c := s.o.Client
	for {
		s.register(ctx)
		if ctx.Err() != nil {
			return
		}
		if onRegistered != nil {
			go onRegistered()
			onRegistered = nil
		}
		t := time.NewTimer(s.o.RegisterRecheck)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-c.Unregistered():
			s.o.Logger.Warn("PBX refused our token; registering the webhook again")
		case <-t.C:
			// A 401 there logs in again (registering) inside the client.
			if _, err := c.Accounts(ctx); err != nil && c.Registered() {
				s.o.Logger.Warn("PBX registration check failed; the registration is kept", "err", err)
			}
		}
		t.Stop()
	}
}

// register logs in until the PBX accepts it or ctx ends.
func (s *Service) register(ctx context.Context) {
	c := s.o.Client
	for attempt := 0; !c.Registered(); attempt++ {
		err := c.Login(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			s.o.Logger.Info("PBX webhook registered", "attempts", attempt+1)
			return
		}
		d := backoff(attempt, s.o.RegisterBackoffMin, s.o.RegisterBackoffMax)
		s.o.Logger.Warn("PBX webhook not registered; retrying", "attempt", attempt+1, "retry_in", d.Round(time.Millisecond), "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// backoff is min·2^attempt capped at max, with jitter drawn from its upper
// half so replicas that failed together do not retry together.
func backoff(attempt int, lo, hi time.Duration) time.Duration {
	d := hi
	if attempt < 30 && lo<<attempt < hi {
		d = lo << attempt
	}
	return d/2 + rand.N(d/2+1)
}

// NormalizePhone is the gateway's phone form, or BAD_USER_INPUT naming field.
func NormalizePhone(field, raw string) (string, error) {
	p, err := phone.Normalize(raw)
	if err != nil {
		return "", errs.BadInput(field, "%s: %q is not a phone number", field, raw)
	}
	return p, nil
}

// MakeCall asks the PBX to ring user, then phone.
func (s *Service) MakeCall(ctx context.Context, rawPhone, user string) (gravitel.MakeCallResult, error) {
	p, err := NormalizePhone("phone", rawPhone)
	if err != nil {
		return gravitel.MakeCallResult{}, err
	}
	user = strings.TrimSpace(user)
	if user == "" {
		return gravitel.MakeCallResult{}, errs.BadInput("user", "user: the CRM user or PBX account to ring first is required")
	}
	if s.o.Marks == nil {
		return s.o.Client.MakeCall(ctx, p, user)
	}
	mark := "makeCall:" + user + "\x00" + p
	first, err := s.o.Marks.Mark(ctx, mark, DuplicateCallWindow, idempotency.Keyed(ctx))
	if err != nil {
		return gravitel.MakeCallResult{}, err
	}
	if !first {
		return gravitel.MakeCallResult{}, &errs.Error{Code: errs.BadUserInput, Field: "phone", Rule: "duplicate_call",
			Message: "the same call was asked less than 30 s ago; send a new idempotency key to ring again"}
	}
	res, err := s.o.Client.MakeCall(ctx, p, user)
	if err != nil && idempotency.NotApplied(err) {
		_ = s.o.Marks.Unmark(context.WithoutCancel(ctx), mark)
	}
	return res, err
}

// PlacedCall finds the outbound call to phone by user the PBX's history
// reported around at: how an unknown makeCall outcome is settled.
func (s *Service) PlacedCall(ctx context.Context, rawPhone, user string, at time.Time) (calls.Call, bool, error) {
	p, err := NormalizePhone("phone", rawPhone)
	if err != nil {
		return calls.Call{}, false, err
	}
	page, err := s.o.Store.List(ctx, calls.Filter{Phone: p, User: strings.TrimSpace(user),
		Since: at.Add(-settleWindow), Until: at.Add(settleWindow), First: calls.MaxPageSize})
	if err != nil {
		return calls.Call{}, false, err
	}
	for _, c := range page.Calls {
		if c.Direction == calls.DirectionOut && c.Finished {
			return c, true, nil
		}
	}
	return calls.Call{}, false, nil
}

// Accounts lists the PBX accounts.
func (s *Service) Accounts(ctx context.Context) ([]gravitel.Account, error) {
	return cache.GetJSON(ctx, s.o.Cache, cache.Key{Source: Source, Operation: "accounts", ID: "all"}, time.Minute, s.o.Client.Accounts)
}

// CheckNote is what check-config says of its Gravitel check.
const CheckNote = "reachable; credentials not checked: a login would re-point the PBX's webhook here"

// Check, for check-config, reaches the PBX without logging in: a login
// registers its url as the PBX's only webhook, so check-config run with
// another SWITCHBOARD_PUBLIC_URL (from a laptop) would take the running
// gateway's events. The running gateway's /readyz says whether the PBX
// accepted its login.
func (s *Service) Check(ctx context.Context) error { return s.o.Client.CheckReachable(ctx) }

// Calls lists stored calls.
func (s *Service) Calls(ctx context.Context, f calls.Filter) (calls.Page, error) {
	if f.First < 0 || f.First > calls.MaxPageSize {
		return calls.Page{}, errs.BadInput("first", "first: must be between 1 and %d", calls.MaxPageSize)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		return calls.Page{}, errs.BadInput("until", "until: must be after since")
	}
	p, err := s.o.Store.List(ctx, f)
	if errors.Is(err, calls.ErrInvalidCursor) {
		return p, errs.BadInput("after", "after: not a cursor this gateway made")
	}
	return p, storeError(err)
}

// storeError reports a failure of the call store as an outage of a
// dependency, like an upstream's (source "store"), so the call log degrades
// with a code while the other fields are served.
func storeError(err error) error {
	var ge *errs.Error
	if err == nil || errors.As(err, &ge) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &errs.Error{Code: errs.UpstreamTimeout, Source: "store", Message: "the call log did not answer before the deadline"}
	}
	return &errs.Error{Code: errs.UpstreamUnavailable, Source: "store", Message: "the call log is unavailable: its store cannot be reached"}
}

// CallsWith returns the calls with any of phones (raw upstream forms),
// newest first, at most maxCustomerCalls.
func (s *Service) CallsWith(ctx context.Context, phones []string) ([]calls.Call, error) {
	seen := map[string]bool{}
	var out []calls.Call
	for _, raw := range phones {
		p, err := phone.Normalize(raw)
		if err != nil || seen[p] {
			continue
		}
		seen[p] = true
		page, err := s.o.Store.List(ctx, calls.Filter{Phone: p, First: maxCustomerCalls})
		if err != nil {
			return nil, storeError(err)
		}
		out = append(out, page.Calls...)
	}
	slices.SortFunc(out, func(a, b calls.Call) int {
		if c := b.StartedAt.Compare(a.StartedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	out = slices.CompactFunc(out, func(a, b calls.Call) bool { return a.ID == b.ID })
	if len(out) > maxCustomerCalls {
		out = out[:maxCustomerCalls]
	}
	return out, nil
}

// Contact looks a caller up across the lookups (see ContactErr); a failure
// is logged and counted there, and answers nobody: the PBX rings its
// default route.
func (s *Service) Contact(ctx context.Context, p string) (Contact, bool) {
	c, ok, _ := s.ContactErr(ctx, p)
	return c, ok
}

func deref(c *Contact) Contact {
	if c == nil {
		return Contact{}
	}
	return *c
}

// lookup asks each lookup in turn; an unknown caller is cached as an empty
// contact so a repeated unknown number costs nothing.
func (s *Service) lookup(ctx context.Context, p string) (*Contact, error) {
	var firstErr error
	defer s.asking.Delete(p)
	for _, l := range s.o.Lookups {
		s.asking.Store(p, l.Source)
		c, ok, err := l.Find(ctx, p)
		if err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		if ok {
			c.Phone = p
			return &c, nil
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return &Contact{Phone: p}, nil
}

// Subscribe streams the live events of user (all users when empty) until
// ctx ends.
func (s *Service) Subscribe(ctx context.Context, user string) (<-chan Event, error) {
	raw, err := s.o.Bus.Subscribe(ctx, topic)
	if err != nil {
		return nil, err
	}
	out := make(chan Event)
	go func() {
		defer close(out)
		for b := range raw {
			var ev Event
			if err := json.Unmarshal(b, &ev); err != nil {
				continue
			}
			if user != "" && ev.User != user {
				continue
			}
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// recordEvent stores an event, then publishes it when it is news
// (calls.Live): a resent, replayed or out-of-date event is stored once and
// never published. A publish failure is logged (the event is stored,
// subscribers miss it live).
func (s *Service) recordEvent(ctx context.Context, e gravitel.EventCommand) error {
	at := s.o.Now().UTC()
	id, ev, patch := fromEvent(e, at)
	c, err := s.o.Store.RecordEvent(ctx, id, ev, patch)
	if err != nil {
		return err
	}
	if !calls.Live(c, ev) {
		s.o.Logger.Debug("call event not published: already seen or out of date", "callid", id, "type", e.Type)
		return nil
	}
	b, err := json.Marshal(Event{CallID: id, Type: e.Type, Phone: e.Phone, Diversion: e.Diversion, User: e.User, At: at, Call: c})
	if err == nil {
		err = s.o.Bus.Publish(ctx, topic, b)
	}
	if err != nil {
		s.o.Logger.Warn("call event stored but not published", "callid", id, "err", err)
	}
	return nil
}

func (s *Service) recordHistory(ctx context.Context, h gravitel.HistoryCommand) error {
	_, err := s.o.Store.RecordHistory(ctx, fromHistory(h, s.o.Now().UTC()))
	return err
}
