package gravitel_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"switchboard/sources/gravitel"
	"switchboard/sources/gravitel/fake"
	"switchboard/sources/phone"
)

// crm is a webhook built on this package's parsing, recording every form.
type crm struct {
	mu    sync.Mutex
	forms []url.Values
	token string
}

func (c *crm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		w.WriteHeader(400)
		return
	}
	c.mu.Lock()
	c.forms = append(c.forms, r.PostForm)
	c.mu.Unlock()
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	if !gravitel.CheckToken(r.PostForm, c.token) {
		reply(gravitel.StatusInvalidToken, gravitel.InvalidTokenResponse)
		return
	}
	cmd, err := gravitel.ParseInbound(r.PostForm)
	if err != nil {
		reply(gravitel.StatusInvalidParameters, gravitel.InvalidParametersResponse)
		return
	}
	switch cmd := cmd.(type) {
	case gravitel.UsersCommand:
		reply(200, gravitel.UsersResponse{Users: []gravitel.User{{ID: "krg", Name: "Кириллов Р."}, {ID: "petrov", Name: "Пётр Петров"}}})
	case gravitel.ContactCommand:
		if cmd.Phone == "33612345678" {
			reply(200, gravitel.ContactResponse{ContactName: "Jean Dupont", Responsible: "petrov"})
			return
		}
		reply(200, gravitel.ContactResponse{})
	default:
		w.WriteHeader(200)
	}
}

func (c *crm) recorded() []url.Values {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]url.Values(nil), c.forms...)
}

func (c *crm) waitFor(t *testing.T, n int) []url.Values {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if f := c.recorded(); len(f) >= n {
			return f
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("webhook got %d forms, want %d", len(c.recorded()), n)
	return nil
}

func sequence(forms []url.Values) []string {
	var s []string
	for _, f := range forms {
		s = append(s, f.Get("cmd")+":"+f.Get("type"))
	}
	return s
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// setup logs a client in so the fake learns the webhook and crm_token.
func setup(t *testing.T, opts fake.Options) (*fake.Server, *gravitel.Client, *crm) {
	t.Helper()
	hook := &crm{token: testCRMToken}
	hookSrv := httptest.NewServer(hook)
	opts.Login, opts.Password = "admin", testPassword
	f := fake.New(opts)
	pbx := httptest.NewServer(f)
	t.Cleanup(func() { f.Close(); pbx.Close(); hookSrv.Close() })
	c, err := gravitel.New(gravitel.Config{URL: pbx.URL, Login: "admin", Password: testPassword,
		CRMCode: "switchboard", CRMToken: testCRMToken, WebhookURL: hookSrv.URL + "/integrations/gravitel"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f, c, hook
}

func checkForms(t *testing.T, forms []url.Values, callID string) {
	t.Helper()
	for _, f := range forms {
		if f.Get("crm_token") != testCRMToken {
			t.Fatalf("form without the crm_token: %v", f)
		}
		if f.Get("cmd") == "users" {
			continue
		}
		cmd, err := gravitel.ParseInbound(f)
		if err != nil {
			t.Fatalf("form %v does not parse: %v", f, err)
		}
		if f.Get("callid") != callID {
			t.Fatalf("callid %q, want %q", f.Get("callid"), callID)
		}
		if h, ok := cmd.(gravitel.HistoryCommand); ok && h.Start.IsZero() {
			t.Fatalf("history without start: %v", f)
		}
	}
}

func TestDriverIncomingAnswered(t *testing.T) {
	f, _, hook := setup(t, fake.Options{Seed: 7})
	callID, err := f.PlayIncoming(context.Background(), "33612345678", "", true)
	if err != nil {
		t.Fatal(err)
	}
	forms := hook.recorded()
	want := []string{"contact:", "event:INCOMING", "event:ACCEPTED", "event:COMPLETED", "history:in"}
	if got := sequence(forms); !equal(got, want) {
		t.Fatalf("sequence %v, want %v", got, want)
	}
	checkForms(t, forms, callID)
	for _, fm := range forms[1:] {
		if fm.Get("user") != "petrov" {
			t.Fatalf("call not routed to the contact's responsible: %v", fm)
		}
	}
	h := forms[4]
	if h.Get("status") != "Success" || h.Get("link") == "" || h.Get("diversion") != fake.Diversion || h.Get("duration") == "0" {
		t.Fatalf("history %v", h)
	}
}

func TestDriverIncomingMissed(t *testing.T) {
	f, _, hook := setup(t, fake.Options{Seed: 8})
	callID, err := f.PlayIncoming(context.Background(), "79161234567", "daria", false)
	if err != nil {
		t.Fatal(err)
	}
	forms := hook.recorded()
	want := []string{"contact:", "event:INCOMING", "event:CANCELLED", "history:in"}
	if got := sequence(forms); !equal(got, want) {
		t.Fatalf("sequence %v, want %v", got, want)
	}
	checkForms(t, forms, callID)
	if forms[3].Get("status") != "missed" || forms[3].Get("link") != "" || forms[3].Get("user") != "daria" {
		t.Fatalf("history %v", forms[3])
	}
}

func TestMakeCallPlaysOutbound(t *testing.T) {
	_, c, hook := setup(t, fake.Options{Seed: 9})
	if _, err := c.MakeCall(context.Background(), "+7 495 123-45-67", "andy"); err != nil {
		t.Fatal(err)
	}
	forms := hook.waitFor(t, 1)
	if got := sequence(forms); !equal(got, []string{"history:out"}) {
		t.Fatalf("sequence %v", got)
	}
	checkForms(t, forms, forms[0].Get("callid"))
	if forms[0].Get("phone") != "74951234567" || forms[0].Get("user") != "andy" {
		t.Fatalf("history %v", forms[0])
	}
}

func TestDriverWrongTokenAndNoWebhook(t *testing.T) {
	hook := &crm{token: "other"}
	hookSrv := httptest.NewServer(hook)
	defer hookSrv.Close()
	f := fake.New(fake.Options{Seed: 1, WebhookURL: hookSrv.URL, CRMToken: testCRMToken})
	defer f.Close()
	_, err := f.PlayIncoming(context.Background(), "33612345678", "daria", true)
	var we *fake.WebhookError
	if !errors.As(err, &we) || we.Status != 401 || we.Cmd != "contact" {
		t.Fatalf("got %v", err)
	}
	lone := fake.New(fake.Options{Seed: 1})
	defer lone.Close()
	if _, err := lone.PlayOutbound(context.Background(), "33612345678", "daria", true); !errors.Is(err, fake.ErrNotRegistered) {
		t.Fatalf("got %v", err)
	}
}

func TestRunScenarios(t *testing.T) {
	f, _, hook := setup(t, fake.Options{Seed: 10, NoAutoOutbound: true})
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	if err := f.RunScenarios(ctx, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	forms := hook.recorded()
	if len(forms) < 5 || forms[0].Get("cmd") != "users" {
		t.Fatalf("got %v", sequence(forms))
	}
	histories := 0
	for _, fm := range forms[1:] {
		if _, err := gravitel.ParseInbound(fm); err != nil {
			t.Fatalf("form %v: %v", fm, err)
		}
		if fm.Get("cmd") == "history" {
			histories++
			if u := fm.Get("user"); fm.Get("type") == "out" && u != "krg" && u != "petrov" {
				t.Fatalf("outbound call from %q, not a CRM user", u)
			}
		}
	}
	if histories < 3 {
		t.Fatalf("%d calls played", histories)
	}
}

// TestRunScenariosExamples: with example users and phones, the first call
// comes after FirstScenario (not a whole interval), is an answered
// incoming call from the first example phone to the first example user,
// and every other call after it is an example call too.
func TestRunScenariosExamples(t *testing.T) {
	const phone = "33761516087"
	for _, tc := range []struct {
		name  string
		every time.Duration
		calls int
	}{
		{"first call before the interval", time.Hour, 1},
		{"example calls every other call", 20 * time.Millisecond, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _, hook := setup(t, fake.Options{Seed: 10, NoAutoOutbound: true,
				ExampleUsers: []string{"u1", "u2"}, ExamplePhones: []string{phone}, FirstScenario: time.Millisecond})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error)
			go func() { done <- f.RunScenarios(ctx, tc.every) }()
			var calls []url.Values // the histories, in order
			deadline := time.Now().Add(10 * time.Second)
			for len(calls) < tc.calls && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
				calls = calls[:0]
				for _, fm := range hook.recorded() {
					if fm.Get("cmd") == "history" {
						calls = append(calls, fm)
					}
				}
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if len(calls) < tc.calls {
				t.Fatalf("%d calls played, want %d", len(calls), tc.calls)
			}
			for i, c := range calls[:tc.calls] {
				example := c.Get("phone") == phone
				if example != (i%2 == 0) {
					t.Fatalf("call %d %v: example %v", i, c, example)
				}
				if want := []string{"u1", "u2"}[i/2%2]; example && (c.Get("type") != "in" || c.Get("user") != want) {
					t.Fatalf("example call %d %v, want incoming to %s", i, c, want)
				}
			}
			if calls[0].Get("status") != "Success" || calls[0].Get("link") == "" {
				t.Fatalf("first example call not answered: %v", calls[0])
			}
			for _, fm := range hook.recorded() {
				if fm.Get("cmd") == "event" && fm.Get("callid") == calls[0].Get("callid") && fm.Get("user") != "u1" {
					t.Fatalf("event of the first example call for %q", fm.Get("user"))
				}
			}
		})
	}
}

func TestFakePhonesAreValid(t *testing.T) {
	f := fake.New(fake.Options{Seed: 3})
	defer f.Close()
	for range 500 {
		p := f.RandomPhone()
		if n, err := phone.Normalize(p); err != nil || n != p {
			t.Fatalf("%q: %q, %v", p, n, err)
		}
	}
	if n, err := phone.Normalize(fake.Diversion); err != nil || n != fake.Diversion {
		t.Fatalf("diversion %q: %v", n, err)
	}
}

// TestOtherReadings runs the client against the fake's other readings of
// the seed: accounts in an envelope, makeCall answering with a body,
// histories without the undocumented start and status, phones with '+'.
func TestOtherReadings(t *testing.T) {
	for _, opts := range []fake.Options{
		{Seed: 11},
		{Seed: 12, AccountsEnvelope: true, MakeCallBody: "OK", SeedHistoryOnly: true, PlusPhones: true},
		{Seed: 13, MakeCallBody: `{"result":"ok"}`},
	} {
		t.Run(fmt.Sprintf("envelope=%v body=%q seedHistory=%v plus=%v", opts.AccountsEnvelope, opts.MakeCallBody, opts.SeedHistoryOnly, opts.PlusPhones), func(t *testing.T) {
			opts.NoAutoOutbound = true
			f, c, hook := setup(t, opts)
			ctx := context.Background()
			accts, err := c.Accounts(ctx)
			if err != nil || len(accts) != len(f.Accounts) || accts[0].Name != f.Accounts[0].Name {
				t.Fatalf("accounts %+v %v", accts, err)
			}
			if _, err := c.MakeCall(ctx, "+7 495 123-45-67", "andy"); err != nil {
				t.Fatalf("makeCall: %v", err)
			}
			callID, err := f.PlayIncoming(ctx, "33612345678", "", true)
			if err != nil {
				t.Fatal(err)
			}
			for _, fm := range hook.recorded() {
				cmd, err := gravitel.ParseInbound(fm)
				if err != nil || fm.Get("callid") != callID {
					t.Fatalf("form %v: %v", fm, err)
				}
				if h, ok := cmd.(gravitel.HistoryCommand); ok && (h.Phone != "33612345678" || h.Start.IsZero() != opts.SeedHistoryOnly) {
					t.Fatalf("history %+v from %v", h, fm)
				}
			}
		})
	}
}

func TestReplayResendsACall(t *testing.T) {
	f, _, hook := setup(t, fake.Options{Seed: 14})
	callID, err := f.PlayIncoming(context.Background(), "33612345678", "", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Replay(context.Background(), callID); err != nil {
		t.Fatal(err)
	}
	want := []string{"contact:", "event:INCOMING", "event:CANCELLED", "history:in"}
	if got := sequence(hook.recorded()); !equal(got, append(want, want...)) {
		t.Fatalf("sequence %v, want the call twice", got)
	}
	if err := f.Replay(context.Background(), "unknown"); err == nil {
		t.Fatal("replaying an unknown call: want an error")
	}
}
