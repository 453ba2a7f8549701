package fake_test

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"switchboard/sources/gravitel/fake"
)

func post(t *testing.T, srv *httptest.Server, path string, form url.Values) (int, string) {
	t.Helper()
	resp, err := srv.Client().PostForm(srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func login(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	status, body := post(t, srv, "/sys/api_login.wcgp", url.Values{"login": {"admin"}, "password": {"pass"},
		"crm_code": {"mycrm"}, "crm_token": {"ct"}, "url": {"https://crm.ru/crm_integration.php"}})
	var r struct{ Token string }
	if status != 200 || json.Unmarshal([]byte(body), &r) != nil || len(r.Token) != 36 {
		t.Fatalf("login: %d %s", status, body)
	}
	return r.Token
}

func TestFakeEndpoints(t *testing.T) {
	f := fake.New(fake.Options{Seed: 42, NoAutoOutbound: true})
	defer f.Close()
	srv := httptest.NewServer(f)
	defer srv.Close()

	for _, tc := range []struct {
		name, path string
		form       url.Values
		status     int
		body       string
	}{
		{"login missing url", "/sys/api_login.wcgp", url.Values{"login": {"admin"}, "password": {"pass"}, "crm_code": {"c"}, "crm_token": {"t"}}, 400, `{"error":"Invalid parameters"}`},
		{"login wrong password", "/sys/api_login.wcgp", url.Values{"login": {"admin"}, "password": {"x"}, "crm_code": {"c"}, "crm_token": {"t"}, "url": {"u"}}, 401, `{"error":"Autorization failed"}`},
		{"accounts no token", "/sys/crm_api.wcgp", url.Values{"cmd": {"accounts"}}, 401, `{"error":"Invalid token"}`},
		{"makeCall bad token", "/sys/crm_api.wcgp", url.Values{"cmd": {"makeCall"}, "token": {"nope"}, "phone": {"79101234567"}, "user": {"daria"}}, 401, `{"error":"Invalid token"}`},
	} {
		if status, body := post(t, srv, tc.path, tc.form); status != tc.status || body != tc.body {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
	}

	tok := login(t, srv)
	if reg := f.Registration(); reg.CRMToken != "ct" || reg.WebhookURL != "https://crm.ru/crm_integration.php" || reg.CRMCode != "mycrm" || reg.SelfMap {
		t.Fatalf("registration %+v", reg)
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		body   string
	}{
		{"accounts", url.Values{"cmd": {"accounts"}}, 200, ""},
		{"makeCall", url.Values{"cmd": {"makeCall"}, "phone": {"79101234567"}, "user": {"daria"}}, 200, ""},
		{"makeCall plus sign", url.Values{"cmd": {"makeCall"}, "phone": {"+79101234567"}, "user": {"daria"}}, 400, `{"error":"Invalid parameters"}`},
		{"makeCall no user", url.Values{"cmd": {"makeCall"}, "phone": {"79101234567"}}, 400, `{"error":"Invalid parameters"}`},
		{"unknown cmd", url.Values{"cmd": {"hangup"}}, 400, `{"error":"Invalid parameters"}`},
	} {
		tc.form.Set("token", tok)
		status, body := post(t, srv, "/sys/crm_api.wcgp", tc.form)
		if status != tc.status || (tc.name != "accounts" && body != tc.body) {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
		if tc.name == "accounts" {
			var accts []fake.Account
			if err := json.Unmarshal([]byte(body), &accts); err != nil || len(accts) < 5 {
				t.Errorf("accounts %s", body)
			}
		}
	}
	if n := len(f.MakeCalls()); n != 1 {
		t.Fatalf("%d makeCalls recorded", n)
	}
	if f.Knobs.Calls("login") != 3 || f.Knobs.Calls("makeCall") != 4 || f.Knobs.Calls("accounts") != 2 || f.Knobs.Calls("crm_api") != 1 {
		t.Fatalf("counts: login %d makeCall %d accounts %d other %d", f.Knobs.Calls("login"), f.Knobs.Calls("makeCall"), f.Knobs.Calls("accounts"), f.Knobs.Calls("crm_api"))
	}
	f.ExpireTokens()
	if status, _ := post(t, srv, "/sys/crm_api.wcgp", url.Values{"cmd": {"accounts"}, "token": {tok}}); status != 401 {
		t.Fatalf("expired token still accepted: %d", status)
	}
}

func TestFakeIsDeterministic(t *testing.T) {
	tokens := make([]string, 2)
	for i := range tokens {
		f := fake.New(fake.Options{Seed: 5})
		srv := httptest.NewServer(f)
		tokens[i] = login(t, srv)
		srv.Close()
		f.Close()
	}
	if tokens[0] != tokens[1] {
		t.Fatalf("same seed, different tokens: %v", tokens)
	}
}

func TestFakeDownCountsCalls(t *testing.T) {
	f := fake.New(fake.Options{Seed: 1})
	defer f.Close()
	srv := httptest.NewServer(f)
	defer srv.Close()
	f.Knobs.SetDown(true)
	status, body := post(t, srv, "/sys/crm_api.wcgp", url.Values{"cmd": {"makeCall"}})
	if status != 503 || !strings.Contains(body, "<html>") || f.Knobs.Calls("makeCall") != 1 {
		t.Fatalf("%d %s, count %d", status, body, f.Knobs.Calls("makeCall"))
	}
}
