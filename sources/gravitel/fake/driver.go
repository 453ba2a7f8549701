package fake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/sources/internal/clock"
)

// ErrNotRegistered means no CRM webhook is known: nobody logged in and
// Options.WebhookURL/CRMToken are unset.
var ErrNotRegistered = errors.New("fake gravitel: no CRM webhook registered")

// Diversion is the domain's public number that inbound calls come through.
const Diversion = "33184808080"

// StartLayout is the format of history's start parameter.
const StartLayout = "20060102T150405Z"

// User is a CRM user as cmd=users returns it.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Contact is the CRM's answer to cmd=contact.
type Contact struct {
	Name        string
	Responsible string
}

// WebhookError is a non-2xx answer of the CRM webhook.
type WebhookError struct {
	Cmd    string
	Status int
	Body   string
}

func (e *WebhookError) Error() string {
	return fmt.Sprintf("fake gravitel: webhook answered %d to cmd=%s: %s", e.Status, e.Cmd, e.Body)
}

// FetchUsers asks the CRM for its users (cmd=users), as the PBX does to
// build its user mapping.
func (s *Server) FetchUsers(ctx context.Context) ([]User, error) {
	body, err := s.post(ctx, url.Values{"cmd": {"users"}})
	if err != nil {
		return nil, err
	}
	var r struct {
		Users []User `json:"users"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("fake gravitel: cmd=users answer: %w", err)
	}
	return r.Users, nil
}

// LookupContact asks the CRM who calls from phone (cmd=contact).
func (s *Server) LookupContact(ctx context.Context, phone, callID string) (Contact, error) {
	body, err := s.post(ctx, url.Values{"cmd": {"contact"}, "phone": {phone}, "callid": {callID}})
	if err != nil {
		return Contact{}, err
	}
	var r struct {
		ContactName string          `json:"contact_name"`
		Responsible json.RawMessage `json:"responsible"`
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return Contact{}, nil
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Contact{}, fmt.Errorf("fake gravitel: cmd=contact answer: %w", err)
	}
	resp := strings.Trim(strings.TrimSpace(string(r.Responsible)), `"`)
	if resp == "null" {
		resp = ""
	}
	return Contact{Name: r.ContactName, Responsible: resp}, nil
}

// PlayIncoming plays an incoming call from phone: contact lookup, INCOMING,
// then ACCEPTED and COMPLETED when answered or CANCELLED when not, then the
// history. An empty user means "route to the contact's responsible" (or a
// random account when there is none). It returns the call id.
func (s *Server) PlayIncoming(ctx context.Context, phone, user string, answered bool) (string, error) {
	callID := s.newCallID()
	start := time.Now().UTC()
	contact, err := s.LookupContact(ctx, phone, callID)
	if err != nil {
		return callID, err
	}
	if user == "" {
		user = contact.Responsible
	}
	if user == "" {
		user = s.randomAccount()
	}
	event := func(typ string) error {
		if err := clock.Sleep(ctx, s.opts.StepDelay); err != nil {
			return err
		}
		_, err := s.post(ctx, url.Values{"cmd": {"event"}, "type": {typ}, "phone": {phone},
			"diversion": {Diversion}, "user": {user}, "callid": {callID}})
		return err
	}
	if err := event("INCOMING"); err != nil {
		return callID, err
	}
	ring, talk := s.durations()
	h := url.Values{"cmd": {"history"}, "type": {"in"}, "user": {user}, "phone": {phone},
		"diversion": {Diversion}, "callid": {callID}, "start": {start.Format(StartLayout)}}
	if answered {
		if err := event("ACCEPTED"); err != nil {
			return callID, err
		}
		if err := event("COMPLETED"); err != nil {
			return callID, err
		}
		h.Set("duration", strconv.Itoa(ring+talk))
		h.Set("status", "Success")
		h.Set("link", s.recordingLink(callID))
	} else {
		if err := event("CANCELLED"); err != nil {
			return callID, err
		}
		h.Set("duration", strconv.Itoa(ring))
		h.Set("status", "missed")
	}
	return callID, s.history(ctx, h)
}

// PlayOutbound plays the outbound call a makeCall started: the PBX sends no
// events for outbound calls, only the history.
func (s *Server) PlayOutbound(ctx context.Context, phone, user string, answered bool) (string, error) {
	callID := s.newCallID()
	start := time.Now().UTC()
	ring, talk := s.durations()
	h := url.Values{"cmd": {"history"}, "type": {"out"}, "user": {user}, "phone": {phone},
		"callid": {callID}, "start": {start.Format(StartLayout)}}
	if answered {
		h.Set("duration", strconv.Itoa(ring+talk))
		h.Set("status", "Success")
		h.Set("link", s.recordingLink(callID))
	} else {
		h.Set("duration", strconv.Itoa(ring))
		h.Set("status", "NotAvailable")
	}
	return callID, s.history(ctx, h)
}

func (s *Server) history(ctx context.Context, h url.Values) error {
	if err := clock.Sleep(ctx, s.opts.StepDelay); err != nil {
		return err
	}
	if s.opts.SeedHistoryOnly {
		h.Del("start")
		h.Del("status")
	}
	_, err := s.post(ctx, h)
	return err
}

// Replay posts again, in order, every request the Driver sent about callID
// (contact, events, history), as a PBX replaying its queue after an outage
// does. It stops at the first failure.
func (s *Server) Replay(ctx context.Context, callID string) error {
	s.mu.Lock()
	forms := s.sent[callID]
	s.mu.Unlock()
	if len(forms) == 0 {
		return fmt.Errorf("fake gravitel: nothing was sent about call %q", callID)
	}
	webhook, _, err := s.target()
	if err != nil {
		return err
	}
	for _, f := range forms {
		if _, err := s.send(ctx, webhook, f); err != nil {
			return err
		}
	}
	return nil
}

// RunScenarios plays a call every interval (the first after
// Options.FirstScenario) until ctx ends, one at a time (so at most one call
// is in flight). With Options.ExampleUsers or ExamplePhones, every other
// call, the first included, is an example call (see playExample); the
// others are random. Delivery failures are skipped: the CRM may be
// restarting. It returns nil when ctx ends.
func (s *Server) RunScenarios(ctx context.Context, every time.Duration) error {
	if every <= 0 {
		return errors.New("fake gravitel: RunScenarios needs a positive interval")
	}
	// Without self_map the PBX speaks CRM user ids, which it learns with
	// cmd=users; with it (or when that fails) it speaks account names.
	var pool []string
	if !s.Registration().SelfMap {
		if users, err := s.FetchUsers(ctx); err == nil {
			for _, u := range users {
				pool = append(pool, u.ID)
			}
		}
	}
	examples := len(s.opts.ExampleUsers) > 0 || len(s.opts.ExamplePhones) > 0
	wait := s.opts.FirstScenario
	if wait <= 0 {
		wait = every
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		t.Reset(every)
		cctx, cancel := context.WithTimeout(ctx, every+30*time.Second)
		if examples && n%2 == 0 {
			s.playExample(cctx, n/2)
		} else {
			s.playRandom(cctx, pool)
		}
		cancel()
	}
}

// playExample plays the i-th example call: incoming, from the i-th example
// phone to the i-th example user (in turn), answered but one time in
// three, so the first leaves a completed call with a recording.
func (s *Server) playExample(ctx context.Context, i int) {
	user, phone := "", ""
	if us := s.opts.ExampleUsers; len(us) > 0 {
		user = us[i%len(us)]
	}
	if ps := s.opts.ExamplePhones; len(ps) > 0 {
		phone = ps[i%len(ps)]
	} else {
		phone = s.RandomPhone()
	}
	_, _ = s.PlayIncoming(ctx, phone, user, i%3 != 2)
}

// playRandom plays a random call: incoming answered, incoming missed or
// outbound, from or to a random phone; outbound calls are made by a user
// of pool (or a random account).
func (s *Server) playRandom(ctx context.Context, pool []string) {
	s.mu.Lock()
	n := s.rng.IntN(100)
	answered := s.rng.IntN(10) < 7
	user := ""
	if len(pool) > 0 {
		user = pool[s.rng.IntN(len(pool))]
	}
	s.mu.Unlock()
	if user == "" {
		user = s.randomAccount()
	}
	phone := s.RandomPhone()
	switch {
	case n < 45:
		_, _ = s.PlayIncoming(ctx, phone, "", true)
	case n < 70:
		_, _ = s.PlayIncoming(ctx, phone, "", false)
	default:
		_, _ = s.PlayOutbound(ctx, phone, user, answered)
	}
}

// RandomPhone is a realistic customer phone (E.164 digits, French or
// Russian), drawn from the seeded generator.
func (s *Server) RandomPhone() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.rng.IntN(5) {
	case 0:
		return fmt.Sprintf("7916%07d", s.rng.IntN(10_000_000))
	case 1:
		return fmt.Sprintf("7495%d%06d", 1+s.rng.IntN(9), s.rng.IntN(1_000_000))
	case 2:
		return fmt.Sprintf("337%d%07d", 3+s.rng.IntN(7), s.rng.IntN(10_000_000))
	default:
		// 063x and 069x hold unassigned ranges
		return fmt.Sprintf("336%c%07d", "0124578"[s.rng.IntN(7)], s.rng.IntN(10_000_000))
	}
}

func (s *Server) randomAccount() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Accounts[s.rng.IntN(len(s.Accounts))].Name
}

// newCallID looks like the seed's B10D0EB124F4E64AF4EA-1511.
func (s *Server) newCallID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%016X%04X-%04d", s.rng.Uint64(), s.rng.IntN(1<<16), s.rng.IntN(10000))
}

func (s *Server) durations() (ring, talk int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return 3 + s.rng.IntN(25), 15 + s.rng.IntN(600)
}

func (s *Server) recordingLink(callID string) string {
	return "https://records.gravitel.example/" + strings.ToLower(callID) + "/file.mp3"
}

func (s *Server) target() (webhook, token string, err error) {
	reg := s.Registration()
	webhook, token = reg.WebhookURL, reg.CRMToken
	if s.opts.WebhookURL != "" {
		webhook = s.opts.WebhookURL
	}
	if s.opts.CRMToken != "" {
		token = s.opts.CRMToken
	}
	if webhook == "" || token == "" {
		return "", "", ErrNotRegistered
	}
	return webhook, token, nil
}

// post sends one form to the CRM webhook, signed with crm_token.
func (s *Server) post(ctx context.Context, form url.Values) ([]byte, error) {
	webhook, token, err := s.target()
	if err != nil {
		return nil, err
	}
	form.Set("crm_token", token)
	if s.opts.PlusPhones {
		for _, k := range []string{"phone", "diversion"} {
			if v := form.Get(k); v != "" && v[0] != '+' {
				form.Set(k, "+"+v)
			}
		}
	}
	if id := form.Get("callid"); id != "" {
		s.mu.Lock()
		if s.sent == nil {
			s.sent = map[string][]url.Values{}
		}
		s.sent[id] = append(s.sent[id], url.Values(maps.Clone(form)))
		s.mu.Unlock()
	}
	return s.send(ctx, webhook, form)
}

// send posts a signed form to the webhook.
func (s *Server) send(ctx context.Context, webhook string, form url.Values) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhook, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.httpc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &WebhookError{Cmd: form.Get("cmd"), Status: resp.StatusCode, Body: string(body)}
	}
	return body, nil
}
