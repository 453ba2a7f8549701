package gravitel_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"switchboard/sources/gravitel"
	"switchboard/sources/gravitel/fake"
	"switchboard/sources/phone"
	"switchboard/sources/upstream"
)

const (
	testCRMToken = "76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1111"
	testPassword = "s3cret-pass"
)

type env struct {
	fake   *fake.Server
	srv    *httptest.Server
	client *gravitel.Client
}

func newEnv(t *testing.T, mutate func(*gravitel.Config)) *env {
	t.Helper()
	f := fake.New(fake.Options{Login: "admin", Password: testPassword, Seed: 1, NoAutoOutbound: true})
	srv := httptest.NewServer(f)
	t.Cleanup(func() { srv.Close(); f.Close() })
	cfg := gravitel.Config{
		URL: srv.URL, Login: "admin", Password: testPassword,
		CRMCode: "switchboard", CRMToken: testCRMToken,
		WebhookURL: "https://gw.example/integrations/gravitel",
		HTTP:       srv.Client(),
	}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := gravitel.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &env{fake: f, srv: srv, client: c}
}

func asUpstream(t *testing.T, err error) *upstream.Error {
	t.Helper()
	ue, ok := upstream.AsError(err)
	if !ok {
		t.Fatalf("want *upstream.Error, got %T %v", err, err)
	}
	if strings.Contains(err.Error(), testPassword) || strings.Contains(err.Error(), testCRMToken) {
		t.Fatalf("error leaks a secret: %v", err)
	}
	return ue
}

func TestNewValidatesConfig(t *testing.T) {
	good := gravitel.Config{URL: "https://d.gravitel.ru", Login: "a", Password: "p", CRMCode: "c", CRMToken: "t", WebhookURL: "https://x/y"}
	for name, mutate := range map[string]func(*gravitel.Config){
		"no url":      func(c *gravitel.Config) { c.URL = "" },
		"relative":    func(c *gravitel.Config) { c.URL = "d.gravitel.ru" },
		"no login":    func(c *gravitel.Config) { c.Login = "" },
		"no password": func(c *gravitel.Config) { c.Password = "" },
		"no crm code": func(c *gravitel.Config) { c.CRMCode = "" },
		"no token":    func(c *gravitel.Config) { c.CRMToken = "" },
		"no webhook":  func(c *gravitel.Config) { c.WebhookURL = "" },
	} {
		cfg := good
		mutate(&cfg)
		if _, err := gravitel.New(cfg); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := gravitel.New(good); err != nil {
		t.Fatal(err)
	}
}

func TestLoginRegistersWebhookAndAccounts(t *testing.T) {
	e := newEnv(t, func(c *gravitel.Config) { c.SelfMap = true })
	ctx := context.Background()
	if err := e.client.Login(ctx); err != nil {
		t.Fatal(err)
	}
	reg := e.fake.Registration()
	want := fake.Registration{CRMCode: "switchboard", CRMToken: testCRMToken, WebhookURL: "https://gw.example/integrations/gravitel", SelfMap: true}
	if reg != want {
		t.Fatalf("registration %+v, want %+v", reg, want)
	}
	accts, err := e.client.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(accts) < 5 || accts[0].Name == "" || accts[0].RealName == "" {
		t.Fatalf("accounts %+v", accts)
	}
	if _, err := e.client.Accounts(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.Knobs.Calls("login"); n != 1 {
		t.Fatalf("token not reused: %d logins", n)
	}
}

func TestReloginAfterTokenExpiry(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if _, err := e.client.Accounts(ctx); err != nil {
		t.Fatal(err)
	}
	e.fake.ExpireTokens()
	res, err := e.client.MakeCall(ctx, "06 12 34 56 78", "daria")
	if err != nil {
		t.Fatal(err)
	}
	if res.Phone != "33612345678" || res.User != "daria" || res.RequestedAt.IsZero() {
		t.Fatalf("result %+v", res)
	}
	if n := e.fake.Knobs.Calls("login"); n != 2 {
		t.Fatalf("%d logins, want 2", n)
	}
	if n := e.fake.Knobs.Calls("makeCall"); n != 2 {
		t.Fatalf("%d makeCall requests, want 2 (refused, resent)", n)
	}
	mc := e.fake.MakeCalls()
	if len(mc) != 1 || mc[0].Phone != "33612345678" || mc[0].User != "daria" {
		t.Fatalf("fake received %+v", mc)
	}
	e.fake.ExpireTokens()
	if _, err := e.client.Accounts(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.Knobs.Calls("login"); n != 3 {
		t.Fatalf("%d logins, want 3", n)
	}
}

func TestLoginRefused(t *testing.T) {
	e := newEnv(t, func(c *gravitel.Config) { c.Password = "wrong" })
	_, err := e.client.Accounts(context.Background())
	ue := asUpstream(t, err)
	if ue.Kind != upstream.KindUnauthorized || ue.Status != 401 || ue.Message != "Autorization failed" {
		t.Fatalf("got %+v", ue)
	}
	if e.fake.Knobs.Calls("accounts") != 0 {
		t.Fatal("called accounts without a token")
	}
}

func TestMakeCallRefusesBadInputBeforeCalling(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct{ phone, user string }{
		{"", "daria"}, {"abc", "daria"}, {"12", "daria"}, {"+33 6 12", "daria"},
		{"06 12 34 56 78 99 99", "daria"}, {"06 12 34 56 78", ""},
	} {
		_, err := e.client.MakeCall(context.Background(), tc.phone, tc.user)
		ue := asUpstream(t, err)
		if ue.Kind != upstream.KindBadInput {
			t.Errorf("%q/%q: kind %v", tc.phone, tc.user, ue.Kind)
		}
		if tc.user != "" && !errors.Is(err, phone.ErrInvalid) {
			t.Errorf("%q: want phone.ErrInvalid, got %v", tc.phone, err)
		}
	}
	if n := e.fake.Knobs.TotalCalls(); n != 0 {
		t.Fatalf("%d upstream calls, want 0", n)
	}
}

func TestMakeCallNotRetriedAccountsRetried(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if err := e.client.Login(ctx); err != nil {
		t.Fatal(err)
	}
	e.fake.Knobs.SetDown(true)
	_, err := e.client.MakeCall(ctx, "+7 495 123-45-67", "andy")
	if ue := asUpstream(t, err); ue.Kind != upstream.KindUnavailable || ue.Status != 503 {
		t.Fatalf("got %+v", ue)
	}
	if n := e.fake.Knobs.Calls("makeCall"); n != 1 {
		t.Fatalf("makeCall sent %d times, want 1", n)
	}
	_, err = e.client.Accounts(ctx)
	if ue := asUpstream(t, err); ue.Kind != upstream.KindUnavailable {
		t.Fatalf("got %+v", ue)
	}
	if n := e.fake.Knobs.Calls("accounts"); n != 1+upstream.DefaultMaxRetries {
		t.Fatalf("accounts sent %d times, want %d", n, 1+upstream.DefaultMaxRetries)
	}
	e.fake.Knobs.SetDown(false)
	if _, err := e.client.Accounts(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestMakeCallRejected(t *testing.T) {
	e := newEnv(t, func(c *gravitel.Config) { c.SelfMap = true })
	_, err := e.client.MakeCall(context.Background(), "0612345678", "nobody")
	ue := asUpstream(t, err)
	if ue.Kind != upstream.KindRejected || ue.Status != 400 || ue.Message != "Invalid parameters" {
		t.Fatalf("got %+v", ue)
	}
}

// stub serves fixed answers per cmd ("login" for the login path).
func stub(t *testing.T, answers map[string]func(w http.ResponseWriter)) (*gravitel.Client, map[string]*atomic.Int32) {
	t.Helper()
	counts := map[string]*atomic.Int32{}
	for k := range answers {
		counts[k] = new(atomic.Int32)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		k := r.PostForm.Get("cmd")
		if r.URL.Path == gravitel.LoginPath {
			k = "login"
		}
		if a, ok := answers[k]; ok {
			counts[k].Add(1)
			a(w)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := gravitel.New(gravitel.Config{URL: srv.URL, Login: "a", Password: testPassword, CRMCode: "c", CRMToken: testCRMToken, WebhookURL: "https://x/y"})
	if err != nil {
		t.Fatal(err)
	}
	return c, counts
}

func answer(status int, ctype, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func TestErrorMapping(t *testing.T) {
	jsLogin := answer(200, "application/json", `{ token: "5f317b9f-e86c-41f7-a6fc-c76eb0da0000" }`)
	for _, tc := range []struct {
		name    string
		answers map[string]func(http.ResponseWriter)
		call    string
		kind    upstream.Kind
		status  int
		msg     string
	}{
		{"html page on accounts", map[string]func(http.ResponseWriter){"login": jsLogin,
			"accounts": answer(200, "text/html", "<html><body>maintenance</body></html>")}, "accounts", upstream.KindInvalidResponse, 200, ""},
		{"truncated json", map[string]func(http.ResponseWriter){"login": jsLogin,
			"accounts": answer(200, "application/json", `[{"name":"test","realN`)}, "accounts", upstream.KindInvalidResponse, 200, ""},
		{"500 html", map[string]func(http.ResponseWriter){"login": jsLogin,
			"accounts": answer(500, "text/html", "<h1>oops</h1>")}, "accounts", upstream.KindUnavailable, 500, ""},
		{"400 js-style body", map[string]func(http.ResponseWriter){"login": jsLogin,
			"makeCall": answer(400, "application/json", `{ error: "Invalid parameters" }`)}, "makeCall", upstream.KindRejected, 400, "Invalid parameters"},
		{"200 with error", map[string]func(http.ResponseWriter){"login": jsLogin,
			"makeCall": answer(200, "application/json", `{"error":"Invalid parameters"}`)}, "makeCall", upstream.KindRejected, 200, "Invalid parameters"},
		{"401 twice", map[string]func(http.ResponseWriter){"login": jsLogin,
			"accounts": answer(401, "application/json", `{"error":"Invalid token"}`)}, "accounts", upstream.KindUnauthorized, 401, "Invalid token"},
		{"login without token", map[string]func(http.ResponseWriter){"login": answer(200, "application/json", `{}`)},
			"accounts", upstream.KindInvalidResponse, 200, ""},
		{"login 400", map[string]func(http.ResponseWriter){"login": answer(400, "application/json", `{"error":"Invalid parameters"}`)},
			"accounts", upstream.KindRejected, 400, "Invalid parameters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, counts := stub(t, tc.answers)
			var err error
			if tc.call == "accounts" {
				_, err = c.Accounts(context.Background())
			} else {
				_, err = c.MakeCall(context.Background(), "33612345678", "daria")
			}
			ue := asUpstream(t, err)
			if ue.Kind != tc.kind || ue.Status != tc.status || (tc.msg != "" && ue.Message != tc.msg) {
				t.Fatalf("got kind %v status %d msg %q", ue.Kind, ue.Status, ue.Message)
			}
			if tc.name == "401 twice" && (counts["login"].Load() != 2 || counts["accounts"].Load() != 2) {
				t.Fatalf("logins %d, accounts %d; want 2 and 2", counts["login"].Load(), counts["accounts"].Load())
			}
		})
	}
}

func TestJSStyleLoginThenAccounts(t *testing.T) {
	c, _ := stub(t, map[string]func(http.ResponseWriter){
		"login":    answer(200, "application/json", `{ token: "tok-1" }`),
		"accounts": answer(200, "application/json", `[{"name":"test","realName":"Test"},{"name":"daria","realName":"Дарья"}]`),
	})
	accts, err := c.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(accts) != 2 || accts[1] != (gravitel.Account{Name: "daria", RealName: "Дарья"}) {
		t.Fatalf("accounts %+v", accts)
	}
}
