package fake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// token gets a token from the fake's OAuth2 endpoint.
func token(t *testing.T, base string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(base+TokenPath, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func notify(t *testing.T, base, tok, body string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+NotificationPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestTokenFlow(t *testing.T) {
	s := New(Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}, "scope": {"all"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vals := range good {
			f[key] = vals
		}
		f.Set(k, v)
		return f
	}
	cases := []struct {
		name   string
		form   url.Values
		status int
		field  string
	}{
		{"good", good, 200, "access_token"},
		{"wrong secret", with("client_secret", "nope"), 401, "error"},
		{"wrong grant", with("grant_type", "password"), 400, "error"},
		{"wrong scope", with("scope", "admin"), 400, "error"},
	}
	for _, c := range cases {
		status, body := token(t, srv.URL, c.form)
		if status != c.status || body[c.field] == nil {
			t.Errorf("%s: %d %v", c.name, status, body)
		}
		if c.status == 200 && body["expires_in"] != float64(3599) {
			t.Errorf("expires_in %v, want 3599 as the seed shows", body["expires_in"])
		}
	}
}

func TestNotifications(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := New(Options{})
	s.Now = func() time.Time { return now }
	srv := httptest.NewServer(s)
	defer srv.Close()
	_, body := token(t, srv.URL, url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}})
	tok := body["access_token"].(string)

	customer := `{"channel":"WEB","operations":[{"type":"CreateCustomer","value":{"id":1581190,"lastname":"Marcone","firstname":"Cédric","email":"cedric.marcone@valraiso.fr"}}]}`
	cases := []struct {
		name, tok, body string
		status          int
		has             string
	}{
		{"accepted and echoed", tok, customer, 200, `"lastname":"Marcone"`},
		{"no token", "", customer, 401, "Unauthorized"},
		{"unknown type", tok, `{"channel":"WEB","operations":[{"type":"DeleteCustomer","value":{}}]}`, 400, "operations.0.type"},
		{"customer without e-mail", tok, `{"channel":"WEB","operations":[{"type":"UpdateCustomer","value":{"id":1,"lastname":"L","firstname":"F"}}]}`, 400, "email"},
		{"customer id not positive", tok, `{"channel":"WEB","operations":[{"type":"CreateCustomer","value":{"id":0,"lastname":"L","firstname":"F","email":"f@l.fr"}}]}`, 400, "value.id"},
		{"no operations", tok, `{"channel":"WEB","operations":[]}`, 400, "operations should not be empty"},
		{"not an object", tok, `[1,2]`, 400, "JSON object"},
	}
	for _, c := range cases {
		status, got := notify(t, srv.URL, c.tok, c.body)
		if status != c.status || !strings.Contains(got, c.has) {
			t.Errorf("%s: %d %s", c.name, status, got)
		}
	}
	if got := s.Received(); len(got) != 1 || got[0].Operations[0].Type != "CreateCustomer" {
		t.Fatalf("received %+v, want the one accepted notification", got)
	}

	// The same Idempotency-Key replays the first answer and applies nothing.
	for range 2 {
		if status, _ := notify(t, srv.URL, tok, customer, "Idempotency-Key", "k-1"); status != 200 {
			t.Fatalf("idempotent send: %d", status)
		}
	}
	if n := len(s.Received()); n != 2 {
		t.Errorf("received %d notifications, want 2 (the replay applies nothing)", n)
	}
	if status, _ := notify(t, srv.URL, tok, strings.Replace(customer, "Marcone", "Other", 1), "Idempotency-Key", "k-1"); status != 422 {
		t.Errorf("reused key with another payload: %d, want 422", status)
	}

	// Tokens expire after expires_in.
	now = now.Add(TokenTTL)
	if status, _ := notify(t, srv.URL, tok, customer); status != 401 {
		t.Errorf("expired token: %d, want 401", status)
	}
}
