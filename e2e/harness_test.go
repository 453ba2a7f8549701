package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"switchboard/app"
)

// testGateway is a whole Switchboard over real HTTP, as a client sees it.
type testGateway struct {
	t   *testing.T
	url string
	key string
	gw  *app.App
	// close stops the server, then the gateway (once; tests may call it
	// early, e.g. to simulate a restart).
	close func()
	// handler is what the server serves: rebuilt by rewire.
	handler atomic.Pointer[http.Handler]
}

// rewire rebuilds the handler after a test swapped one of gw's services.
func (g *testGateway) rewire() {
	h := g.gw.Handler()
	g.handler.Store(&h)
}

// gqlResponse is a GraphQL response body.
type gqlResponse struct {
	Status int
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Extensions map[string]any `json:"extensions"`
}

// startGateway runs the gateway in sandbox mode with env on top of it.
func startGateway(t *testing.T, env map[string]string) *testGateway {
	t.Helper()
	return startGatewayLogged(t, env, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// startGatewayLogged is startGateway writing its logs to log.
func startGatewayLogged(t *testing.T, env map[string]string, log *slog.Logger) *testGateway {
	t.Helper()
	// The server's address is known before the gateway is built: the PBX
	// is told to call it back there.
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(func() { _ = srv.Listener.Close() }) // if the gateway never starts
	dataDir := t.TempDir()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		case "SWITCHBOARD_SANDBOX":
			return "1"
		case "SWITCHBOARD_DATA_DIR":
			return dataDir
		case "SWITCHBOARD_PUBLIC_URL":
			return "http://" + srv.Listener.Addr().String()
		case "SWITCHBOARD_RESPONSE_CACHE_TTL":
			// Tests count upstream calls per query; the response cache has
			// its own tests (respcache_test.go).
			return "0"
		}
		return ""
	}
	cfg, err := app.ParseConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	key := ""
	if !cfg.Sandbox && cfg.APIKeysFile == "" {
		key = "test-key-every-scope"
		cfg.APIKeysFile = filepath.Join(t.TempDir(), "keys")
		if err := os.WriteFile(cfg.APIKeysFile, []byte("tests "+key+" *\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	gw, err := app.New(t.Context(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	g := &testGateway{t: t, key: key, gw: gw}
	g.rewire()
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*g.handler.Load()).ServeHTTP(w, r) })
	srv.Start()
	g.url = srv.URL
	if g.key == "" {
		g.key = gw.DemoKey
	}
	// The server stops first: no request reaches a closed gateway.
	g.close = sync.OnceFunc(func() { srv.Close(); gw.Close() })
	t.Cleanup(g.close)
	return g
}

// query POSTs a GraphQL request with the gateway's demo key.
func (g *testGateway) query(q string, vars map[string]any) gqlResponse {
	return g.queryAs(g.key, q, vars)
}

func (g *testGateway) queryAs(key, q string, vars map[string]any) gqlResponse {
	g.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequest("POST", g.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		g.t.Fatalf("response is not JSON (status %d): %s", resp.StatusCode, raw)
	}
	out.Status = resp.StatusCode
	return out
}

// codes lists extensions.code of every error, "code@source" when a source is named.
func (r gqlResponse) codes() []string {
	var out []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		if s, ok := e.Extensions["source"].(string); ok {
			c += "@" + s
		}
		out = append(out, c)
	}
	return out
}

// at walks the data by a dotted path with numeric indexes ("vehicle.customers.0.lastName").
func (r gqlResponse) at(path string) any {
	var cur any = r.Data
	for _, p := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[p]
		case []any:
			i := 0
			for _, c := range p {
				i = i*10 + int(c-'0')
			}
			if i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}

func TestHTTPSurface(t *testing.T) {
	g := startGateway(t, nil)
	cases := []struct {
		path, wantType string
		wantStatus     int
		wantBody       string
	}{
		{"/healthz", "application/json", 200, `"ok"`},
		{"/readyz", "application/json", 200, `"ready":true`},
		{"/schema.graphql", "text/plain", 200, "type Query"},
		{"/metrics", "text/plain", 200, "go_goroutines"},
		{"/", "text/html", 200, "GraphiQL"},
	}
	for _, c := range cases {
		resp, err := http.Get(g.url + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.wantStatus || !strings.HasPrefix(resp.Header.Get("Content-Type"), c.wantType) || !strings.Contains(string(body), c.wantBody) {
			t.Errorf("GET %s: %d %s, body has %q: %v", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), c.wantBody, strings.Contains(string(body), c.wantBody))
		}
	}
}

func TestAuthentication(t *testing.T) {
	g := startGateway(t, nil)
	for _, key := range []string{"", "not-a-key"} {
		r := g.queryAs(key, "{ sources { name } }", nil)
		if r.Status != http.StatusUnauthorized || len(r.codes()) != 1 || r.codes()[0] != "UNAUTHENTICATED" {
			t.Errorf("key %q: status %d codes %v, want 401 UNAUTHENTICATED", key, r.Status, r.codes())
		}
	}
	r := g.query("{ sources { name configured } }", nil)
	if r.Status != 200 || len(r.Errors) != 0 || r.at("sources.0.name") != "MMP" {
		t.Fatalf("demo key: %+v", r)
	}
}

func TestSubscriptionOverSSE(t *testing.T) {
	g := startGateway(t, nil)
	body := `{"query":"subscription { heartbeat(seconds: 1, count: 2) }"}`
	req, _ := http.NewRequest("POST", g.url+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+g.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if n := strings.Count(string(raw), "event: next"); n != 2 || !strings.Contains(string(raw), "event: complete") {
		t.Fatalf("SSE stream: %s", raw)
	}
}
