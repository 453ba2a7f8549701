package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	mmpfake "switchboard/sources/mmp/fake"
	msemfake "switchboard/sources/msem/fake"
	shopfake "switchboard/sources/shop/fake"
)

// Known secret values: none may show in a log line, a response or /metrics.
var secretEnv = map[string]string{
	"MMP_CLIENT_ID": "mmp-client", "MMP_CLIENT_SECRET": "S3cretMmpClient7f2a", "MMP_USERNAME": "api@garage.example", "MMP_PASSWORD": "S3cretMmpPassword9c4e",
	"MMP_API_VERSION": "v2", "MMP_NETWORK": "trif",
	"SHOP_CLIENT_ID": "shop-client", "SHOP_CLIENT_SECRET": "S3cretShopClient1b8d",
	"MSEM_CLIENT_ID": "msem-client", "MSEM_CLIENT_SECRET": "S3cretMsemClient5e0f", "MSEM_CHANNEL": "WEB",
	"CLAVUS_API_KEY": "S3cretClavusKey3a6c",
	"GRAVITEL_LOGIN": "admin", "GRAVITEL_PASSWORD": "S3cretGravitelPass8d1b", "GRAVITEL_CRM_CODE": "crm", "GRAVITEL_CRM_TOKEN": "S3cretGravitelCrm2f7e",
}

// issuedToken is the access token a hostile upstream hands out.
const issuedToken = "S3cretIssuedAccessToken4c9a"

// secretValues are the strings to look for, raw and as the HTTP Basic
// credentials a token request may carry.
func secretValues(clientKey string) []string {
	out := []string{issuedToken, clientKey}
	for _, k := range []string{"MMP_CLIENT_SECRET", "MMP_PASSWORD", "SHOP_CLIENT_SECRET", "MSEM_CLIENT_SECRET", "CLAVUS_API_KEY", "GRAVITEL_PASSWORD", "GRAVITEL_CRM_TOKEN"} {
		out = append(out, secretEnv[k])
	}
	for _, p := range [][2]string{{"MMP_CLIENT_ID", "MMP_CLIENT_SECRET"}, {"MMP_USERNAME", "MMP_PASSWORD"}, {"MSEM_CLIENT_ID", "MSEM_CLIENT_SECRET"}} {
		out = append(out, base64.StdEncoding.EncodeToString([]byte(secretEnv[p[0]]+":"+secretEnv[p[1]])))
	}
	return out
}

// hostile is an upstream that fails in the way named by mode, echoing
// everything it was sent (URL, headers, body) into its answer, as a careless
// or malicious API might. Token endpoints hand out issuedToken unless the
// mode rejects credentials.
type hostile string

func (h hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	dump := fmt.Sprintf("%s %s %v %s", r.Method, r.URL, r.Header, body)
	if strings.Contains(r.URL.Path, "token") && h != "reject" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": issuedToken, "token_type": "Bearer", "expires_in": 3600})
		return
	}
	echo := map[string]any{"success": false, "error": dump, "error_description": dump, "message": dump, "errors": []map[string]any{{"message": dump}}}
	switch h {
	case "reject":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(echo)
	case "bad request":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(echo)
	case "server error":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<html><pre>"+dump+"</pre></html>")
	case "refusing envelope":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(echo)
	case "garbage":
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{not json "+dump)
	}
}

// syncBuffer collects log lines from concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// secretOperations touch every wired source, reads and writes.
var secretOperations = []struct{ query, vars string }{
	{`{ vehicle(plate: "AB123CD") { vin customers { lastName } invoices { amount } } }`, ""},
	{`query ($pos: String!) { campaignCustomers(pointOfSale: $pos) { total } }`, `{"pos": "920150"}`},
	{`{ blacklist { email } }`, ""},
	{`{ interfaces { key prestations { code } } prestations { code } }`, ""},
	{`mutation ($input: CreateInterfaceInput!) { createInterface(input: $input) { key } }`,
		`{"input": {"guid": "g-1", "prestations": ["IN-ECO-S"], "client": {"company": "Garage", "email": "a@b.fr"}}}`},
	{`mutation { pushCustomerToMsem(customer: {id: "1", lastName: "L", firstName: "F", email: "f@l.fr"}) { channel } }`, ""},
	{`{ folders(perPage: 5) { results { id values { name } } } teams { users { id } } folderColumns { id } }`, ""},
	{`mutation { upsertProspect(input: {lastName: "Martin", email: "m@example.fr"}) { id } }`, ""},
	{`{ pbxAccounts { name } calls { totalCount } }`, ""},
	{`mutation { makeCall(phone: "0612345678", user: "user1") { phone } }`, ""},
	{`{ sources { name configured } }`, ""},
}

func TestSecretsNeverLeak(t *testing.T) {
	closed := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url := "http://" + ln.Addr().String()
		ln.Close()
		return url
	}
	// wrongCredentials runs the faithful fakes, which know other secrets.
	wrongCredentials := func(t *testing.T) (string, string, string) {
		m := httptest.NewServer(mmpfake.New(mmpfake.Options{ClientID: "x", ClientSecret: "y", Username: "z", Password: "w", Version: "v2", Network: "trif", Seed: 1, Vehicles: 5}))
		s := httptest.NewServer(shopfake.New(shopfake.Options{ClientID: "x", ClientSecret: "y", Seed: 1, Interfaces: 2}))
		e := httptest.NewServer(msemfake.New(msemfake.Options{ClientID: "x", ClientSecret: "y"}))
		t.Cleanup(m.Close)
		t.Cleanup(s.Close)
		t.Cleanup(e.Close)
		return m.URL, s.URL, e.URL
	}
	type mode struct {
		name      string
		upstreams func(t *testing.T) (mmp, shop, msem string)
		// echoed: the upstream's message, echoing our credentials, reaches
		// the client (so redaction, not silence, keeps them out).
		echoed bool
	}
	modes := []mode{
		{"wrong credentials", wrongCredentials, false},
		{"down", func(*testing.T) (string, string, string) { u := closed(); return u, u, u }, false},
	}
	for _, h := range []hostile{"reject", "bad request", "server error", "refusing envelope", "garbage"} {
		modes = append(modes, mode{"echoing " + string(h), func(t *testing.T) (string, string, string) {
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			return srv.URL, srv.URL, srv.URL
		}, h == "reject" || h == "bad request" || h == "refusing envelope"})
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			var logs syncBuffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			// The error presenter and panic recovery log through the default logger.
			prev := slog.Default()
			slog.SetDefault(log)
			t.Cleanup(func() { slog.SetDefault(prev) })

			env := map[string]string{"SWITCHBOARD_SANDBOX": "0"}
			for k, v := range secretEnv {
				env[k] = v
			}
			env["MMP_BASE_URL"], env["SHOP_BASE_URL"], env["MSEM_AUTH_URL"] = m.upstreams(t)
			env["MSEM_SERVICES_URL"] = env["MSEM_AUTH_URL"]
			// Clavus and the PBX meet the same upstream as Shop.
			env["CLAVUS_URL"], env["GRAVITEL_URL"] = env["SHOP_BASE_URL"]+"/api/external/graphql", env["SHOP_BASE_URL"]
			g := startGatewayLogged(t, env, log)

			var seen strings.Builder
			for _, op := range secretOperations {
				var vars map[string]any
				if op.vars != "" {
					_ = json.Unmarshal([]byte(op.vars), &vars)
				}
				body, _ := json.Marshal(map[string]any{"query": op.query, "variables": vars})
				resp, raw := g.post(g.key, "application/json", string(body), nil)
				fmt.Fprintf(&seen, "%d %v %s\n", resp.StatusCode, resp.Header, raw)
				if resp.StatusCode >= 500 {
					t.Errorf("%s: HTTP %d", op.query, resp.StatusCode)
				}
			}
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			for name, err := range g.gw.CheckSources(ctx) {
				fmt.Fprintf(&seen, "check-config %s: %v\n", name, err)
			}
			for _, path := range []string{"/metrics", "/readyz", "/healthz"} {
				seen.WriteString(get(t, g.url+path))
			}
			if m.echoed && !strings.Contains(seen.String(), "[REDACTED]") {
				t.Errorf("the upstream's echo never reached a client: the test proves nothing")
			}
			if !strings.Contains(seen.String(), `"errors"`) {
				t.Fatalf("no source failed, the test proves nothing: %s", seen.String())
			}
			for _, s := range secretValues(g.key) {
				if strings.Contains(seen.String(), s) {
					t.Errorf("secret %q in a response, /metrics or a check-config error:\n%s", s, excerpt(seen.String(), s))
				}
				if strings.Contains(logs.String(), s) {
					t.Errorf("secret %q in the logs:\n%s", s, excerpt(logs.String(), s))
				}
			}
		})
	}
}

// excerpt shows where s occurs in text.
func excerpt(text, s string) string {
	i := strings.Index(text, s)
	return text[max(0, i-300):min(len(text), i+len(s)+100)]
}
