package msem_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchboard/sources/internal/clock"
	"switchboard/sources/msem"
	"switchboard/sources/msem/fake"
	"switchboard/sources/upstream"
	"switchboard/sources/upstream/upstreamtest"
)

type env struct {
	fake           *fake.Server
	auth, services *httptest.Server
	client         *msem.Client
	clock          *clock.Manual
}

// readings are the two readings of the document the fake can serve: every
// client test that talks to the fake runs under both.
var readings = []struct {
	name string
	opts fake.Options
	// firstTokenCalls is what the first token costs: under the alternate
	// reading the form credentials are refused once, then Basic is kept.
	firstTokenCalls int
}{
	{"document", fake.Options{}, 1},
	{"alternate", fake.Options{Alternate: true}, 2},
}

func newEnv(t *testing.T) *env { return newEnvWith(t, fake.Options{}) }

func newEnvWith(t *testing.T, opts fake.Options) *env {
	t.Helper()
	f := fake.New(opts)
	clk := clock.NewManual(time.Now())
	f.Now = clk.Now
	auth, services := httptest.NewServer(f.AuthHandler()), httptest.NewServer(f.ServicesHandler())
	t.Cleanup(auth.Close)
	t.Cleanup(services.Close)
	id, secret := f.Credentials()
	c, err := msem.New(msem.Config{AuthURL: auth.URL, ServicesURL: services.URL, ClientID: id, ClientSecret: secret, Channel: "LBM", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &env{fake: f, auth: auth, services: services, client: c, clock: clk}
}

func wantKind(t *testing.T, err error, kind upstream.Kind) *upstream.Error {
	t.Helper()
	return upstreamtest.WantKind(t, err, "msem", kind)
}

var (
	cedric   = msem.Customer{ID: 1581190, Lastname: "Marcone", Firstname: "Cédric", Email: "cedric.marcone@valraiso.fr"}
	benjamin = msem.Customer{ID: 1581191, Lastname: "Rampon", Firstname: "Benjamin", Email: "benjamin.rampon@valraiso.fr"}
	order    = msem.Order{ID: "CMD-2024-0042", CustomerID: 1581190, Attributes: map[string]any{"amount": 129.9, "status": "paid"}}
)

func TestNewValidatesConfig(t *testing.T) {
	ok := msem.Config{AuthURL: "https://auth.msem.tech", ServicesURL: "https://services.msem.tech", ClientID: "a", ClientSecret: "b", Channel: "LBM"}
	for _, mut := range []func(*msem.Config){
		func(c *msem.Config) { c.AuthURL = "" },
		func(c *msem.Config) { c.ServicesURL = "ftp://x" },
		func(c *msem.Config) { c.ClientSecret = "" },
		func(c *msem.Config) { c.Channel = "" },
	} {
		cfg := ok
		mut(&cfg)
		if _, err := msem.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	c, err := msem.New(ok)
	if err != nil || c.Channel() != "LBM" {
		t.Fatal(err)
	}
}

func TestNotifyEachType(t *testing.T) {
	for _, r := range readings {
		t.Run(r.name, func(t *testing.T) { testNotifyEachType(t, newEnvWith(t, r.opts)) })
	}
}

func testNotifyEachType(t *testing.T, e *env) {
	tests := []struct {
		name string
		op   msem.Operation
	}{
		{"CreateCustomer", msem.NewCreateCustomer(cedric)},
		{"UpdateCustomer", msem.NewUpdateCustomer(benjamin)},
		{"CreateOrder", msem.NewCreateOrder(order)},
		{"UpdateOrder", msem.NewUpdateOrder(msem.Order{ID: "CMD-2024-0042", Attributes: map[string]any{"status": "shipped"}})},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.client.Notify(context.Background(), []msem.Operation{tt.op})
			if err != nil {
				t.Fatal(err)
			}
			if got.Channel != "LBM" || len(got.Operations) != 1 || string(got.Operations[0].Type) != tt.name || got.IdempotencyKey == "" {
				t.Fatalf("echo %+v", got)
			}
			echo := got.Operations[0]
			switch {
			case tt.op.Customer != nil:
				if echo.Customer == nil || *echo.Customer != *tt.op.Customer {
					t.Fatalf("customer echo %+v", echo.Customer)
				}
			default:
				if echo.Order == nil || echo.Order.ID != tt.op.Order.ID || echo.Order.CustomerID != tt.op.Order.CustomerID || len(echo.Order.Attributes) != len(tt.op.Order.Attributes) {
					t.Fatalf("order echo %+v", echo.Order)
				}
			}
			rec := e.fake.Received()
			if len(rec) != i+1 {
				t.Fatalf("fake applied %d notifications", len(rec))
			}
			last := rec[i]
			if last.Channel != "LBM" || last.Operations[0].Type != tt.name || last.IdempotencyKey != got.IdempotencyKey {
				t.Fatalf("fake received %+v", last)
			}
		})
	}
}

// TestSeedPayload checks the wire shape against the seed's example.
func TestSeedPayload(t *testing.T) {
	e := newEnv(t)
	if _, err := e.client.Notify(context.Background(), []msem.Operation{msem.NewCreateCustomer(cedric), msem.NewUpdateCustomer(benjamin)}); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(e.fake.Received()[0])
	want := `{"channel":"LBM","operations":[{"type":"CreateCustomer","value":{"id":1581190,"lastname":"Marcone","firstname":"Cédric","email":"cedric.marcone@valraiso.fr"}},{"type":"UpdateCustomer","value":{"id":1581191,"lastname":"Rampon","firstname":"Benjamin","email":"benjamin.rampon@valraiso.fr"}}]}`
	if string(got) != want {
		t.Fatalf("sent\n%s\nwant\n%s", got, want)
	}
	b, _ := json.Marshal(msem.NewCreateOrder(order))
	if string(b) != `{"type":"CreateOrder","value":{"amount":129.9,"customerId":1581190,"id":"CMD-2024-0042","status":"paid"}}` {
		t.Fatalf("order wire %s", b)
	}
}

func TestValidation(t *testing.T) {
	e := newEnv(t)
	c := cedric
	with := func(f func(*msem.Customer)) msem.Customer { x := c; f(&x); return x }
	tests := []struct {
		name  string
		ops   []msem.Operation
		field string
		// fake is the JSON the fake must refuse, sent around the client.
		fake string
	}{
		{"no operation", nil, "operations", `{"channel":"LBM","operations":[]}`},
		{"unknown type", []msem.Operation{{Type: "DeleteCustomer", Customer: &c}}, "operations[0].type", `{"channel":"LBM","operations":[{"type":"DeleteCustomer","value":{"id":1}}]}`},
		{"missing id", []msem.Operation{msem.NewCreateCustomer(with(func(x *msem.Customer) { x.ID = 0 }))}, "operations[0].value.id", `{"channel":"LBM","operations":[{"type":"CreateCustomer","value":{"lastname":"a","firstname":"b","email":"a@b.fr"}}]}`},
		{"missing lastname", []msem.Operation{msem.NewUpdateCustomer(with(func(x *msem.Customer) { x.Lastname = " " }))}, "operations[0].value.lastname", `{"channel":"LBM","operations":[{"type":"UpdateCustomer","value":{"id":1,"firstname":"b","email":"a@b.fr"}}]}`},
		{"missing firstname", []msem.Operation{msem.NewCreateCustomer(cedric), msem.NewCreateCustomer(with(func(x *msem.Customer) { x.Firstname = "" }))}, "operations[1].value.firstname", `{"channel":"LBM","operations":[{"type":"CreateCustomer","value":{"id":1,"lastname":"a","email":"a@b.fr"}}]}`},
		{"bad email", []msem.Operation{msem.NewCreateCustomer(with(func(x *msem.Customer) { x.Email = "cedric at valraiso" }))}, "operations[0].value.email", `{"channel":"LBM","operations":[{"type":"CreateCustomer","value":{"id":1,"lastname":"a","firstname":"b","email":"nope"}}]}`},
		{"email with name", []msem.Operation{msem.NewCreateCustomer(with(func(x *msem.Customer) { x.Email = "Cédric <c@v.fr>" }))}, "operations[0].value.email", `{"channel":"LBM","operations":[{"type":"CreateCustomer","value":{"id":1,"lastname":"a","firstname":"b","email":"C <c@v.fr>"}}]}`},
		{"customer op without customer", []msem.Operation{{Type: msem.CreateCustomer, Order: &order}}, "operations[0].value", `{"channel":"LBM","operations":[{"type":"CreateCustomer","value":"x"}]}`},
		{"order without id", []msem.Operation{msem.NewUpdateOrder(msem.Order{})}, "operations[0].value.id", `{"channel":"LBM","operations":[{"type":"UpdateOrder","value":{"status":"paid"}}]}`},
		{"create order without customer", []msem.Operation{msem.NewCreateOrder(msem.Order{ID: "1"})}, "operations[0].value.customerId", `{"channel":"LBM","operations":[{"type":"CreateOrder","value":{"id":"1"}}]}`},
	}
	id, secret := e.fake.Credentials()
	tok := token(t, e.auth.URL, id, secret)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ve *upstream.InputError
			if err := msem.Validate(tt.ops); !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("Validate = %v, want field %s", err, tt.field)
			}
			_, err := e.client.Notify(context.Background(), tt.ops)
			wantKind(t, err, upstream.KindBadInput)
			if !errors.As(err, &ve) {
				t.Fatal("Notify error does not wrap the InputError")
			}
			status, body := post(t, e.services.URL, tok, "", tt.fake)
			if status != 400 || !strings.Contains(body, `"statusCode":400`) || !strings.Contains(body, `"message":["`) {
				t.Fatalf("fake answered %d %s", status, body)
			}
		})
	}
	if n := e.fake.Knobs.Calls("notification"); n != len(tests) {
		t.Fatalf("%d notification calls: the client sent invalid operations", n-len(tests))
	}
	if len(e.fake.Received()) != 0 {
		t.Fatal("the fake applied an invalid notification")
	}
}

// TestAttributeCollision: an attribute named like the order's own fields
// would be overwritten on the wire (one JSON object): it is refused, naming
// the key, and nothing is sent.
func TestAttributeCollision(t *testing.T) {
	e := newEnv(t)
	for _, k := range []string{"id", "customerId"} {
		op := msem.NewCreateOrder(msem.Order{ID: "A-1", CustomerID: 7, Attributes: map[string]any{k: "x", "total": 3}})
		_, err := e.client.Notify(context.Background(), []msem.Operation{op})
		var ve *upstream.InputError
		if !errors.As(err, &ve) || ve.Field != "operations[0].value.attributes."+k || !strings.Contains(ve.Message, `"`+k+`"`) {
			t.Fatalf("%s: %v", k, err)
		}
	}
	if n := e.fake.Knobs.Calls("notification"); n != 0 {
		t.Fatalf("%d notifications sent", n)
	}
}

func token(t *testing.T, authURL, id, secret string) string {
	t.Helper()
	resp, err := http.PostForm(authURL+msem.TokenPath, url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {"all"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.ExpiresIn != 3599 || tok.TokenType != "Bearer" {
		t.Fatalf("token %+v %v", tok, err)
	}
	return tok.AccessToken
}

func post(t *testing.T, base, tok, key, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+msem.NotificationPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFakeAuthFlow(t *testing.T) {
	e := newEnv(t)
	id, secret := e.fake.Credentials()
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"ok", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {"all"}}, 200, `"expires_in":3599`},
		{"bad secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {"nope"}}, 401, `"error":"invalid_client"`},
		{"bad grant", url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret}}, 400, `"error":"unsupported_grant_type"`},
		{"bad scope", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {"admin"}}, 400, `"error":"invalid_scope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.PostForm(e.auth.URL+msem.TokenPath, tt.form)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.want) {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
		})
	}
	for _, tok := range []string{"", "249443c5703c7c4c35a3c7a87d13d7b505176d2f"} {
		status, body := post(t, e.services.URL, tok, "", `{"channel":"LBM","operations":[]}`)
		if status != 401 || !strings.Contains(body, `"statusCode":401`) {
			t.Fatalf("%d %s", status, body)
		}
	}
}

func TestTokenReuseAndRefresh(t *testing.T) {
	for _, r := range readings {
		t.Run(r.name, func(t *testing.T) { testTokenReuseAndRefresh(t, newEnvWith(t, r.opts), r.firstTokenCalls-1) })
	}
}

func testTokenReuseAndRefresh(t *testing.T, e *env, extra int) {
	ctx := context.Background()
	notify := func() {
		t.Helper()
		if _, err := e.client.Notify(ctx, []msem.Operation{msem.NewUpdateCustomer(cedric)}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		notify()
	}
	if n := e.fake.Knobs.Calls("token") - extra; n != 1 {
		t.Fatalf("token calls = %d (+%d), want 1", n, extra)
	}
	e.fake.ExpireTokens()
	notify()
	if n := e.fake.Knobs.Calls("token") - extra; n != 2 {
		t.Fatalf("token calls = %d (+%d), want 2 after a 401 (the working style is kept)", n, extra)
	}
	e.clock.Add(fake.TokenTTL)
	notify()
	if n := e.fake.Knobs.Calls("token") - extra; n != 3 {
		t.Fatalf("token calls = %d (+%d), want 3 after expiry", n, extra)
	}
	if len(e.fake.Received()) != 5 {
		t.Fatalf("applied %d", len(e.fake.Received()))
	}
}

func TestTokenRequestShape(t *testing.T) {
	var form url.Values
	var hasBasic bool
	auth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		form, hasBasic = r.PostForm, r.Header.Get("Authorization") != ""
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"249443c5703c7c4c35a3c7a87d13d7b505176d2f","token_type":"Bearer","expires_in":3599,"scope":"all"}`)
	}))
	defer auth.Close()
	services := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer 249443c5703c7c4c35a3c7a87d13d7b505176d2f" {
			w.WriteHeader(401)
			return
		}
		w.WriteHeader(204)
	}))
	defer services.Close()
	c, _ := msem.New(msem.Config{AuthURL: auth.URL, ServicesURL: services.URL, ClientID: "sybelles_crm", ClientSecret: "s3cr3t", Channel: "LBM"})
	got, err := c.Notify(context.Background(), []msem.Operation{msem.NewCreateCustomer(cedric)})
	if err != nil || got.Channel != "LBM" || len(got.Operations) != 1 {
		t.Fatal(got, err)
	}
	if form.Get("grant_type") != "client_credentials" || form.Get("client_id") != "sybelles_crm" || form.Get("client_secret") != "s3cr3t" || form.Get("scope") != "all" || hasBasic {
		t.Fatalf("token request %v basic=%v", form, hasBasic)
	}
}

func TestBadCredentials(t *testing.T) {
	for _, r := range readings {
		t.Run(r.name, func(t *testing.T) {
			e := newEnvWith(t, r.opts)
			c, _ := msem.New(msem.Config{AuthURL: e.auth.URL, ServicesURL: e.services.URL, ClientID: "sybelles_crm", ClientSecret: "wrong-secret-value", Channel: "LBM"})
			_, err := c.Notify(context.Background(), []msem.Operation{msem.NewCreateCustomer(cedric)})
			ue := wantKind(t, err, upstream.KindUnauthorized)
			if ue.Status != 401 || ue.Operation != "token" || strings.Contains(err.Error(), "wrong-secret-value") {
				t.Fatalf("%+v", ue)
			}
		})
	}
}

// TestConfigurationRefused: a scope or a channel MseM refuses is our
// configuration, so KindUnauthorized (never KindRejected), and nothing is
// applied.
func TestConfigurationRefused(t *testing.T) {
	for _, r := range readings {
		t.Run(r.name, func(t *testing.T) {
			opts := r.opts
			opts.Channels = []string{"LBM"}
			e := newEnvWith(t, opts)
			id, secret := e.fake.Credentials()
			for _, cfg := range []msem.Config{
				{AuthURL: e.auth.URL, ServicesURL: e.services.URL, ClientID: id, ClientSecret: secret, Channel: "LBM", Scope: "admin"},
				{AuthURL: e.auth.URL, ServicesURL: e.services.URL, ClientID: id, ClientSecret: secret, Channel: "XYZ"},
			} {
				c, _ := msem.New(cfg)
				_, err := c.Notify(context.Background(), []msem.Operation{msem.NewCreateCustomer(cedric)})
				if ue := wantKind(t, err, upstream.KindUnauthorized); ue.Status != 400 {
					t.Fatalf("scope %q channel %q: %+v", cfg.Scope, cfg.Channel, ue)
				}
			}
			if n := len(e.fake.Received()); n != 0 {
				t.Fatalf("applied %d", n)
			}
		})
	}
}

// A notification whose answer is lost may have been applied: it is never
// resent (MseM's document promises no deduplication), and the error says
// the outcome is unknown.
func TestNotifyNeverResent(t *testing.T) {
	e := newEnv(t)
	e.fake.LoseResponses(1)
	_, err := e.client.Notify(context.Background(), []msem.Operation{msem.NewCreateOrder(order)})
	ue := wantKind(t, err, upstream.KindUnavailable)
	if !ue.Sent || ue.Status != 503 {
		t.Fatalf("%+v", ue)
	}
	if n := e.fake.Knobs.Calls("notification"); n != 1 || len(e.fake.Received()) != 1 {
		t.Fatalf("%d notification calls, %d applied; want 1 and 1", n, len(e.fake.Received()))
	}
	e.fake.FailNext(1)
	if _, err := e.client.Notify(context.Background(), []msem.Operation{msem.NewCreateOrder(order)}); err == nil {
		t.Fatal("a 500 was retried into a success")
	}
	if n := e.fake.Knobs.Calls("notification"); n != 2 {
		t.Fatalf("%d notification calls after a 500, want 2 (no retry)", n)
	}

	// The fake honours the header MseM's document does not mention.
	id, secret := e.fake.Credentials()
	tok := token(t, e.auth.URL, id, secret)
	body := `{"channel":"LBM","operations":[{"type":"UpdateOrder","value":{"id":"A1"}}]}`
	s1, b1 := post(t, e.services.URL, tok, "k-1", body)
	s2, b2 := post(t, e.services.URL, tok, "k-1", body)
	if s1 != 200 || s2 != 200 || b1 != b2 || len(e.fake.Received()) != 2 {
		t.Fatalf("same key: %d %d, applied %d", s1, s2, len(e.fake.Received()))
	}
	s3, b3 := post(t, e.services.URL, tok, "k-1", strings.Replace(body, "A1", "A2", 1))
	if s3 != 422 || !strings.Contains(b3, "Idempotency-Key") {
		t.Fatalf("key reuse: %d %s", s3, b3)
	}
	if s, _ := post(t, e.services.URL, tok, "", body); s != 200 || len(e.fake.Received()) != 3 {
		t.Fatal("without a key every call is applied")
	}
}

func TestFakeFaults(t *testing.T) {
	e := newEnv(t)
	ops := []msem.Operation{msem.NewCreateCustomer(cedric)}
	e.fake.FailNext(3)
	_, err := e.client.Notify(context.Background(), ops)
	ue := wantKind(t, err, upstream.KindUnavailable)
	if ue.Status != 500 || ue.Message != "Internal server error" || len(e.fake.Received()) != 0 {
		t.Fatalf("%+v", ue)
	}
	e.fake.Knobs.SetDown(true)
	_, err = e.client.Notify(context.Background(), ops)
	wantKind(t, err, upstream.KindUnavailable)
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		kind   upstream.Kind
		msg    string
	}{
		{"400 list", 400, "application/json", `{"statusCode":400,"message":["a must be x","b must be y"],"error":"Bad Request"}`, upstream.KindRejected, "a must be x; b must be y"},
		{"400 string", 400, "application/json", `{"statusCode":400,"message":"operations.0.value.id must be a positive integer","error":"Bad Request"}`, upstream.KindRejected, "operations.0.value.id must be a positive integer"},
		{"channel refused", 400, "application/json", `{"statusCode":400,"message":"channel inconnu","error":"Bad Request"}`, upstream.KindUnauthorized, "channel inconnu"},
		{"attribute named channel", 400, "application/json", `{"statusCode":400,"message":["operations.0.value.channel must be a string"],"error":"Bad Request"}`, upstream.KindRejected, "operations.0.value.channel must be a string"},
		{"401 after refresh", 401, "application/json", `{"statusCode":401,"message":"Unauthorized"}`, upstream.KindUnauthorized, "Unauthorized"},
		{"500", 500, "application/json", `{"statusCode":500,"message":"Internal server error"}`, upstream.KindUnavailable, "Internal server error"},
		{"HTML error page", 502, "text/html", `<html><body>Bad Gateway</body></html>`, upstream.KindUnavailable, "Bad Gateway (HTML error page)"},
		{"HTML page with 200", 200, "text/html", `<html><body>ok</body></html>`, upstream.KindInvalidResponse, ""},
		{"truncated JSON", 200, "application/json", `{"channel":"LBM","operations":[{"type":"CreateCustomer","value":{"id":1581`, upstream.KindInvalidResponse, ""},
		{"bad echo", 200, "application/json", `{"channel":"LBM","operations":[{"type":"CreateCustomer","value":null}]}`, upstream.KindInvalidResponse, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls, tokens int
			auth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tokens++
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"access_token":"t","token_type":"Bearer","expires_in":3599}`)
			}))
			defer auth.Close()
			services := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer services.Close()
			c, _ := msem.New(msem.Config{AuthURL: auth.URL, ServicesURL: services.URL, ClientID: "a", ClientSecret: "b", Channel: "LBM"})
			_, err := c.Notify(context.Background(), []msem.Operation{msem.NewCreateCustomer(cedric)})
			ue := wantKind(t, err, tt.kind)
			if tt.msg != "" && ue.Message != tt.msg {
				t.Fatalf("message %q", ue.Message)
			}
			if tt.status == 401 && (tokens != 2 || calls != 2) {
				t.Fatalf("401: %d token fetches, %d calls; want one refresh", tokens, calls)
			}
		})
	}
}
