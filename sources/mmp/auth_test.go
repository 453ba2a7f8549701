package mmp_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/sources/mmp"
	"switchboard/sources/mmp/fake"
	"switchboard/sources/upstream"
)

func TestNewRequiresConfig(t *testing.T) {
	full := mmp.Config{BaseURL: "https://mmp.example", Version: "v1", Network: "trif",
		ClientID: "2", ClientSecret: "s3cret-value", Username: "u@example.com", Password: "hunter2-pass"}
	if _, err := mmp.New(full); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(*mmp.Config)
		want   string
	}{
		{"no base URL", func(c *mmp.Config) { c.BaseURL = "" }, "BaseURL"},
		{"relative base URL", func(c *mmp.Config) { c.BaseURL = "mmp.example" }, "BaseURL"},
		{"no version", func(c *mmp.Config) { c.Version = "" }, "Version"},
		{"no network", func(c *mmp.Config) { c.Network = " " }, "Network"},
		{"no password", func(c *mmp.Config) { c.Password = "" }, "Password"},
		{"no client", func(c *mmp.Config) { c.ClientID, c.ClientSecret = "", "" }, "ClientID, ClientSecret"},
	}
	for _, tt := range tests {
		cfg := full
		tt.mutate(&cfg)
		_, err := mmp.New(cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v", tt.name, err)
		}
		if err != nil && (strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "s3cret")) {
			t.Errorf("%s: secret in %v", tt.name, err)
		}
	}
}

func TestTokenReused(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.client.Clients(ctx(t), "ABC123"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for range 5 {
		must[*mmp.Vision360](t)(e.client.Vision360(ctx(t), "AB123CD"))
	}
	if n := e.fake.Knobs.Calls("token"); n != 1 {
		t.Fatalf("token fetched %d times for 13 calls", n)
	}
}

func TestTokenRefreshAfterExpire(t *testing.T) {
	e := newEnv(t)
	must[[]mmp.Invoice](t)(e.client.Invoices(ctx(t), "ABC123"))
	e.fake.ExpireTokens()
	must[[]mmp.Invoice](t)(e.client.Invoices(ctx(t), "ABC123"))
	if tok, inv := e.fake.Knobs.Calls("token"), e.fake.Knobs.Calls("factures"); tok != 2 || inv != 3 {
		t.Fatalf("token %d (want 2), factures %d (want 3: ok, 401, retry)", tok, inv)
	}
	must[[]mmp.Invoice](t)(e.client.Invoices(ctx(t), "ABC123"))
	if tok := e.fake.Knobs.Calls("token"); tok != 2 {
		t.Fatalf("new token not reused: %d fetches", tok)
	}
}

// The fake's clock runs past the token lifetime while the client still
// believes its token valid: the 401 makes it fetch a new one.
func TestTokenExpiresWithFakeClock(t *testing.T) {
	f := fake.New(fake.Options{Vehicles: 1})
	var skew atomic.Int64
	f.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	e := newEnvWith(t, f)
	must[[]mmp.Forecast](t)(e.client.Forecasts(ctx(t), "ABC123"))
	skew.Store(int64(fake.TokenLifetime - time.Minute))
	must[[]mmp.Forecast](t)(e.client.Forecasts(ctx(t), "ABC123"))
	if n := f.Knobs.Calls("token"); n != 1 {
		t.Fatalf("token refetched before expiry: %d", n)
	}
	skew.Store(int64(fake.TokenLifetime + time.Second))
	must[[]mmp.Forecast](t)(e.client.Forecasts(ctx(t), "ABC123"))
	if n := f.Knobs.Calls("token"); n != 2 {
		t.Fatalf("token fetches %d, want 2", n)
	}
}

func TestTokenRefused(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*mmp.Config)
		status int
		msg    string
	}{
		{"bad password", func(c *mmp.Config) { c.Password = "wrong-Pa55word" }, 400, "The user credentials were incorrect."},
		{"bad user", func(c *mmp.Config) { c.Username = "nobody@example.com" }, 400, "The user credentials were incorrect."},
		{"bad client secret", func(c *mmp.Config) { c.ClientSecret = "wrong-Cl1ent-secret" }, 401, "Client authentication failed"},
		{"bad version", func(c *mmp.Config) { c.Version = "v9" }, 404, "Route introuvable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.mutate)
			_, err := e.client.Vision360(ctx(t), "ABC123")
			kind := upstream.KindUnauthorized
			if tt.status == 404 {
				kind = upstream.KindNotFound
			}
			ue := wantKind(t, err, kind)
			if ue.Status != tt.status || ue.Message != tt.msg || ue.Operation != "token" {
				t.Fatalf("got %+v", ue)
			}
			for _, secret := range []string{"wrong-Pa55word", "wrong-Cl1ent-secret", e.fake.Options().Password} {
				if strings.Contains(err.Error(), secret) || strings.Contains(string(ue.Body), secret) {
					t.Fatalf("secret leaked: %v", err)
				}
			}
			if n := e.fake.Knobs.Calls("vision360"); n != 0 {
				t.Fatalf("service called %d times without a token", n)
			}
		})
	}
}

// The seed documents a JSON token request; the fake takes it as well as the
// form x/oauth2 sends.
func TestFakeTokenAcceptsJSONAndForm(t *testing.T) {
	e := newEnv(t)
	o := e.fake.Options()
	tokenURL := e.srv.URL + "/api/" + o.Version + "/service-authentification/token"
	fields := map[string]string{"grant_type": "password", "client_id": o.ClientID, "client_secret": o.ClientSecret,
		"username": o.Username, "password": o.Password}
	body, _ := json.Marshal(fields)
	form := url.Values{}
	for k, v := range fields {
		form.Set(k, v)
	}
	for name, send := range map[string]func() (*http.Response, error){
		"json": func() (*http.Response, error) {
			return http.Post(tokenURL, "application/json", strings.NewReader(string(body)))
		},
		"form": func() (*http.Response, error) { return http.PostForm(tokenURL, form) },
	} {
		resp, err := send()
		if err != nil {
			t.Fatal(err)
		}
		var tok struct {
			AccessToken string `json:"access_token"`
			ExpiresIn   int    `json:"expires_in"`
			TokenType   string `json:"token_type"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&tok)
		resp.Body.Close()
		if resp.StatusCode != 200 || tok.AccessToken == "" || tok.ExpiresIn != 7200 || tok.TokenType != "Bearer" {
			t.Fatalf("%s: %d %+v", name, resp.StatusCode, tok)
		}
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/"+o.Version+"/"+o.Network+"/service-external-client/vehicule/client?lang=en",
			strings.NewReader(`{"immatriculation": `))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var env struct {
			Success *bool               `json:"success"`
			Data    []any               `json:"data"`
			Errors  map[string][]string `json:"errors"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if resp.StatusCode != 400 || env.Success == nil || *env.Success || env.Data == nil || len(env.Errors["body"]) != 1 {
			t.Fatalf("%s: malformed body answered %d %+v", name, resp.StatusCode, env)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/"+o.Version+"/"+o.Network+"/service-external-client/vehicule/client?lang=en",
		strings.NewReader(`{"immatriculation":"ABC123"}`))
	req.Header.Set("Authorization", "Bearer forged")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var te struct{ Error, Message string }
	_ = json.NewDecoder(resp.Body).Decode(&te)
	resp.Body.Close()
	if resp.StatusCode != 401 || te.Error == "" || te.Message != "Unauthenticated." {
		t.Fatalf("forged token: %d %+v", resp.StatusCode, te)
	}
}

func newEnvWith(t *testing.T, f *fake.Server) *env {
	t.Helper()
	g := &gate{next: f, hits: map[string]int{}}
	srv := newServer(t, g)
	o := f.Options()
	c, err := mmp.New(mmp.Config{BaseURL: srv.URL, Version: o.Version, Network: o.Network, ClientID: o.ClientID,
		ClientSecret: o.ClientSecret, Username: o.Username, Password: o.Password, HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return &env{fake: f, srv: srv, client: c, gate: g}
}

func TestTokenEndpointAnswersGarbage(t *testing.T) {
	for name, body := range map[string]string{
		"HTML page":       "<html><body>Welcome</body></html>",
		"no access_token": `{"token_type":"Bearer","expires_in":7200}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/token") {
					if strings.HasPrefix(body, "{") {
						w.Header().Set("Content-Type", "application/json")
					}
					_, _ = w.Write([]byte(body))
					return
				}
				t.Errorf("service called without a token: %s", r.URL.Path)
			}))
			c, err := mmp.New(mmp.Config{BaseURL: srv.URL, Version: "v1", Network: "trif", ClientID: "2",
				ClientSecret: "s", Username: "u", Password: "p"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Vision360(ctx(t), "ABC123")
			wantKind(t, err, upstream.KindInvalidResponse)
		})
	}
}

// The token request is the JSON body the seed shows. Against a server that
// reads only forms, the client falls back to the form once and keeps to it;
// refused credentials are not retried as a form.
func TestTokenBody(t *testing.T) {
	tests := []struct {
		name           string
		body           fake.TokenBody
		password       string
		json, form     int // token requests after two fetches
		wantAuthFailed bool
	}{
		{"json or form", fake.TokenJSONOrForm, "", 2, 0, false},
		{"json only", fake.TokenJSONOnly, "", 2, 0, false},
		{"form only: fall back once, then form", fake.TokenFormOnly, "", 1, 2, false},
		{"bad password is not retried as a form", fake.TokenJSONOrForm, "wrong-Pa55word", 1, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fake.New(fake.Options{Vehicles: 1, TokenBody: tt.body})
			e := newEnvWith(t, f)
			if tt.password != "" {
				o := f.Options()
				c, err := mmp.New(mmp.Config{BaseURL: e.srv.URL, Version: o.Version, Network: o.Network, ClientID: o.ClientID,
					ClientSecret: o.ClientSecret, Username: o.Username, Password: tt.password, HTTP: e.srv.Client()})
				if err != nil {
					t.Fatal(err)
				}
				e.client = c
			}
			for range 2 {
				_, err := e.client.Clients(ctx(t), "ABC123")
				if (err != nil) != tt.wantAuthFailed {
					t.Fatalf("err = %v", err)
				}
				if tt.wantAuthFailed {
					wantKind(t, err, upstream.KindUnauthorized)
					break
				}
				f.ExpireTokens()
			}
			if j, fo := f.TokenRequests(); j != tt.json || fo != tt.form {
				t.Fatalf("token requests: %d JSON, %d form; want %d, %d", j, fo, tt.json, tt.form)
			}
		})
	}
}
