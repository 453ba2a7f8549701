package e2e

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchboard/app"
)

// post sends a raw body to /graphql with key and extra headers.
func (g *testGateway) post(key, contentType, body string, header map[string]string) (*http.Response, []byte) {
	g.t.Helper()
	req, _ := http.NewRequest("POST", g.url+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, raw
}

// decode reads a GraphQL response body.
func decode(t *testing.T, status int, raw []byte) gqlResponse {
	t.Helper()
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", status, raw)
	}
	out.Status = status
	return out
}

// uniqueKey writes a keys file with one key of every scope whose name is
// unique to this run, so buckets in a shared Redis never collide.
func uniqueKey(t *testing.T) (name, secret, file string) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	name, secret = "test-"+hex.EncodeToString(b[:]), "secret-"+hex.EncodeToString(b[:])
	file = filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(file, []byte(name+" "+secret+" *\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return name, secret, file
}

func redisURL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

func sha(q string) string {
	s := sha256.Sum256([]byte(q))
	return hex.EncodeToString(s[:])
}

func TestRateLimitPerKeyOverHTTP(t *testing.T) {
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			name, secret, file := uniqueKey(t)
			env := map[string]string{"SWITCHBOARD_API_KEYS_FILE": file, "SWITCHBOARD_RATE_LIMIT": "1", "SWITCHBOARD_RATE_BURST": "2", "SWITCHBOARD_METRICS_KEY_NAMES": "1"}
			if store == "redis" {
				env["REDIS_URL"] = redisURL()
			}
			a := startGateway(t, env)
			replicas := []*testGateway{a, a}
			if store == "redis" {
				// A second replica shares the key's bucket through Redis.
				replicas[1] = startGateway(t, env)
			}
			for i, want := range []int{200, 200, 429} {
				g := replicas[i%2]
				resp, raw := g.post(secret, "application/json", `{"query":"{ sources { name } }"}`, nil)
				r := decode(t, resp.StatusCode, raw)
				if r.Status != want {
					t.Fatalf("request %d: %d %s", i, r.Status, raw)
				}
				if want != 429 {
					continue
				}
				if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
					t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
				}
				if got := r.codes(); len(got) != 1 || got[0] != "RATE_LIMITED" {
					t.Errorf("codes %v", got)
				}
			}
			metrics := get(t, a.url+"/metrics")
			if !strings.Contains(metrics, `switchboard_rate_limited_total{key="`+name+`"} 1`) || strings.Contains(metrics, secret) {
				t.Errorf("metrics: want the key's name counted once and never its secret")
			}
		})
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return string(raw)
}

func TestPersistedQueriesRegisterThenHashOnly(t *testing.T) {
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			env := map[string]string{}
			if store == "redis" {
				env["REDIS_URL"] = redisURL()
			}
			first := startGateway(t, env)
			second := first
			if store == "redis" {
				// Registered on one replica, found by hash on the other.
				second = startGateway(t, env)
			}
			var b [6]byte
			_, _ = rand.Read(b[:])
			q := "query APQ" + hex.EncodeToString(b[:]) + " { sources { name } }"
			ext := func(hash string) string {
				return `"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`
			}
			quoted, _ := json.Marshal(q)
			steps := []struct {
				name string
				g    *testGateway
				body string
				code string
			}{
				{"unknown hash", first, `{` + ext(sha(q)) + `}`, "NOT_FOUND"},
				{"register", first, `{"query":` + string(quoted) + `,` + ext(sha(q)) + `}`, ""},
				{"hash only", second, `{` + ext(sha(q)) + `}`, ""},
				{"hash of another query", first, `{"query":` + string(quoted) + `,` + ext(sha("{ x }")) + `}`, "BAD_USER_INPUT"},
				{"unsupported version", first, `{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"` + sha(q) + `"}}}`, "BAD_USER_INPUT"},
			}
			for _, s := range steps {
				resp, raw := s.g.post(s.g.key, "application/json", s.body, nil)
				r := decode(t, resp.StatusCode, raw)
				if s.code == "" {
					if len(r.Errors) != 0 || r.at("sources.0.name") != "MMP" {
						t.Fatalf("%s: %s", s.name, raw)
					}
					continue
				}
				if got := r.codes(); len(got) != 1 || got[0] != s.code {
					t.Fatalf("%s: %s", s.name, raw)
				}
				if s.code == "NOT_FOUND" && r.Errors[0].Message != "PersistedQueryNotFound" {
					t.Errorf("%s: message %q: Apollo-style clients resend the query on PersistedQueryNotFound", s.name, r.Errors[0].Message)
				}
			}
		})
	}
}

func TestTrustedDocumentsOnlyListedOperationsRun(t *testing.T) {
	listed := "query Sources { sources { name } }"
	raw, _ := json.Marshal(map[string]string{sha(listed): listed})
	file := filepath.Join(t.TempDir(), "trusted.json")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	f, env := mmpUpstream(t, nil)
	env["SWITCHBOARD_TRUSTED_DOCUMENTS"] = file
	g := startGateway(t, env)
	hashOnly := `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"%s"}}}`
	cases := []struct{ name, body, code string }{
		{"listed, by hash", strings.Replace(hashOnly, "%s", sha(listed), 1), ""},
		{"listed, in full", `{"query":"query Sources { sources { name } }"}`, ""},
		{"unlisted, in full", `{"query":"{ vehicle(plate: \"AB123CD\") { vin } }"}`, "FORBIDDEN"},
		{"unlisted, by hash", strings.Replace(hashOnly, "%s", sha("{ vehicle(plate: \"AB123CD\") { vin } }"), 1), "FORBIDDEN"},
		{"APQ registration refused", `{"query":"{ vehicle(plate: \"AB123CD\") { vin } }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + sha(`{ vehicle(plate: "AB123CD") { vin } }`) + `"}}}`, "FORBIDDEN"},
	}
	for _, c := range cases {
		resp, raw := g.post(g.key, "application/json", c.body, nil)
		r := decode(t, resp.StatusCode, raw)
		if c.code == "" {
			if len(r.Errors) != 0 || r.at("sources.0.name") != "MMP" {
				t.Errorf("%s: %s", c.name, raw)
			}
			continue
		}
		if got := r.codes(); len(got) != 1 || got[0] != c.code {
			t.Errorf("%s: %s", c.name, raw)
		}
	}
	if n := f.Knobs.TotalCalls(); n != 0 {
		t.Fatalf("refused documents made %d upstream calls", n)
	}
}

func TestBodyLimitAndBatchedOperations(t *testing.T) {
	g := startGateway(t, map[string]string{"SWITCHBOARD_MAX_BODY_BYTES": "512"})
	small := `{"query":"{ sources { name } }"}`
	cases := []struct {
		name, body string
		status     int
		code       string
	}{
		{"under the limit", small, 200, ""},
		{"over the limit", `{"query":"{ sources { name } }","variables":{"pad":"` + strings.Repeat("x", 600) + `"}}`, 413, "QUERY_TOO_COMPLEX"},
		{"batched operations", "[" + small + "," + small + "]", 400, "QUERY_TOO_COMPLEX"},
		{"not JSON", `{"query":`, 400, "BAD_USER_INPUT"},
	}
	for _, c := range cases {
		resp, raw := g.post(g.key, "application/json", c.body, nil)
		r := decode(t, resp.StatusCode, raw)
		if r.Status != c.status {
			t.Errorf("%s: status %d: %s", c.name, r.Status, raw)
		}
		if c.code != "" {
			if got := r.codes(); len(got) != 1 || got[0] != c.code {
				t.Errorf("%s: %s", c.name, raw)
			}
		}
	}
}

func TestSecurityHeadersAndCORS(t *testing.T) {
	g := startGateway(t, map[string]string{"SWITCHBOARD_CORS_ORIGINS": "https://app.example, https://admin.example"})
	resp, _ := g.post("", "application/json", `{"query":"{ sources { name } }"}`, map[string]string{"Origin": "https://app.example"})
	// Even a refusal reaches the page's script, so it can tell the user.
	if resp.StatusCode != 401 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Errorf("401 to a listed origin: %d ACAO %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("security headers: %v", resp.Header)
	}
	req, _ := http.NewRequest("OPTIONS", g.url+"/graphql", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	pre, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pre.Body.Close()
	if pre.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight of an unlisted origin allowed")
	}
}

// TestSecurityServerTimeoutsSpareSubscriptions: the server's read and write
// timeouts cut slow plain requests but not an SSE subscription.
func TestSecurityServerTimeoutsSpareSubscriptions(t *testing.T) {
	g := startGateway(t, nil)
	hs := app.NewHTTPServer("", g.gw.Handler())
	if hs.ReadHeaderTimeout == 0 || hs.ReadTimeout == 0 || hs.WriteTimeout == 0 || hs.IdleTimeout == 0 {
		t.Fatalf("a server timeout is unset: %+v", hs)
	}
	hs.ReadTimeout, hs.WriteTimeout = 300*time.Millisecond, 300*time.Millisecond
	srv := httptest.NewUnstartedServer(hs.Handler)
	srv.Config = hs
	srv.Start()
	t.Cleanup(srv.Close)
	sub := &testGateway{t: t, url: srv.URL, key: g.key, gw: g.gw}
	start := time.Now()
	_, raw := sub.post(g.key, "application/json", `{"query":"subscription { heartbeat(seconds: 1, count: 2) }"}`, map[string]string{"Accept": "text/event-stream"})
	if strings.Count(string(raw), "event: next") != 2 || !strings.Contains(string(raw), "event: complete") || time.Since(start) < time.Second {
		t.Fatalf("SSE cut by the server timeouts: %s", raw)
	}
	if r := sub.query("{ sources { name } }", nil); r.Status != 200 || len(r.Errors) != 0 {
		t.Fatalf("plain query: %+v", r)
	}
}

// TestWebhookIPAllowList: the handler puts GRAVITEL_ALLOWED_IPS in front of
// the webhook, whatever the webhook is.
func TestWebhookIPAllowList(t *testing.T) {
	for _, c := range []struct {
		allowed string
		want    int
	}{{"", 204}, {"127.0.0.1", 204}, {"203.0.113.0/24", 403}} {
		cfg, err := app.ParseConfig(func(k string) string {
			return map[string]string{"SWITCHBOARD_SANDBOX": "1", "SWITCHBOARD_DATA_DIR": t.TempDir(), "GRAVITEL_ALLOWED_IPS": c.allowed}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		gw, err := app.New(t.Context(), cfg, log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(gw.Close)
		gw.Webhook = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
		srv := httptest.NewServer(gw.Handler())
		t.Cleanup(srv.Close)
		resp, err := http.Post(srv.URL+"/integrations/gravitel", "application/x-www-form-urlencoded", strings.NewReader("cmd=event"))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want || (c.want == 403 && strings.TrimSpace(string(raw)) != `{"error":"Forbidden"}`) {
			t.Errorf("GRAVITEL_ALLOWED_IPS=%q: %d %s", c.allowed, resp.StatusCode, raw)
		}
	}
}

// GraphQL over HTTP, the parts the graphql-http audit does not pin: the
// status and shape of request errors per media type, GET mutations, bodies
// that are not GraphQL requests (coded, never echoed), and operations that
// need a stream.
func TestGraphQLOverHTTPStatuses(t *testing.T) {
	g := startGateway(t, map[string]string{"SWITCHBOARD_RATE_LIMIT": "0"})
	const json, gqlJSON = "application/json", "application/graphql-response+json"
	hundred := strings.Repeat("x", 100)
	cases := []struct {
		name, accept, body string
		wantStatus         int
		wantCode, wantMsg  string
	}{
		{"parse error, JSON", json, `{"query":"{"}`, 200, "BAD_USER_INPUT", "Expected Name"},
		{"parse error, GraphQL JSON", gqlJSON, `{"query":"{"}`, 400, "BAD_USER_INPUT", "Expected Name"},
		{"validation error, JSON", json, `{"query":"{ nope }"}`, 200, "BAD_USER_INPUT", "nope"},
		{"validation error, GraphQL JSON", gqlJSON, `{"query":"{ nope }"}`, 400, "BAD_USER_INPUT", "nope"},
		{"limit, JSON", json, `{"query":"{` + strings.Repeat(" __typename", 101) + `}"}`, 200, "QUERY_TOO_COMPLEX", "101 times"},
		{"limit, GraphQL JSON", gqlJSON, `{"query":"{` + strings.Repeat(" __typename", 101) + `}"}`, 400, "QUERY_TOO_COMPLEX", "101 times"},
		{"coercion, GraphQL JSON", gqlJSON, `{"query":"query($p: String!) { vehicle(plate: $p) { plate } }","variables":{"p":{"a":1}}}`, 400, "BAD_USER_INPUT", "String"},
		{"malformed JSON, not echoed", gqlJSON, `{"query":"{ __typename }","password":"hunter2",` + hundred, 400, "BAD_USER_INPUT", "not a JSON GraphQL request"},
		{"malformed JSON over SSE, not echoed", "text/event-stream", `{"query":"{ __typename }","password":"hunter2",` + hundred, 400, "BAD_USER_INPUT", "not a JSON GraphQL request"},
		{"malformed JSON over multipart/mixed, not echoed", "multipart/mixed", `{"query":"{ __typename }","password":"hunter2",` + hundred, 400, "BAD_USER_INPUT", "not a JSON GraphQL request"},
		{"wrong parameter type", json, `{"query":1}`, 400, "BAD_USER_INPUT", "wrong type"},
		{"no query", json, `{"qeury":"{ __typename }"}`, 400, "BAD_USER_INPUT", "no query"},
		{"subscription over plain POST", json, `{"query":"subscription { heartbeat(seconds: 1, count: 1) }"}`, 400, "BAD_USER_INPUT", "text/event-stream"},
	}
	for _, c := range cases {
		resp, raw := g.post(g.key, "application/json", c.body, map[string]string{"Accept": c.accept})
		r := decode(t, resp.StatusCode, raw)
		if resp.StatusCode != c.wantStatus || len(r.Errors) != 1 || r.codes()[0] != c.wantCode || !strings.Contains(r.Errors[0].Message, c.wantMsg) {
			t.Errorf("%s: %d %s", c.name, resp.StatusCode, raw)
		}
		if strings.Contains(string(raw), `"data"`) {
			t.Errorf("%s: a request error has a data member: %s", c.name, raw)
		}
		if strings.Contains(string(raw), "hunter2") || strings.Contains(string(raw), hundred) {
			t.Errorf("%s: the body is echoed: %s", c.name, raw)
		}
	}

	get := func(query string) (*http.Response, gqlResponse) {
		req, _ := http.NewRequest("GET", g.url+"/graphql?query="+url.QueryEscape(query), nil)
		req.Header.Set("Authorization", "Bearer "+g.key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp, decode(t, resp.StatusCode, raw)
	}
	if resp, r := get("mutation { ping }"); resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" || strings.Join(r.codes(), ",") != "BAD_USER_INPUT" {
		t.Errorf("GET mutation: %d %v", resp.StatusCode, r.Errors)
	}
	if resp, r := get("{ sources { name } }"); resp.StatusCode != 200 || r.at("sources.0.name") != "MMP" {
		t.Errorf("GET query: %d %v", resp.StatusCode, r.Errors)
	}
	req, _ := http.NewRequest("GET", g.url+"/graphql?query=%7B__typename%7D&variables=%7Bnope", nil)
	req.Header.Set("Authorization", "Bearer "+g.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if r := decode(t, resp.StatusCode, raw); resp.StatusCode != 400 || strings.Join(r.codes(), ",") != "BAD_USER_INPUT" {
		t.Errorf("GET with undecodable variables: %d %s", resp.StatusCode, raw)
	}
}

// With introspection off, __schema and __type are refused with a code (not
// an INTERNAL error logged at ERROR), and so is the SDL without a key.
func TestIntrospectionOffRefusesWithACode(t *testing.T) {
	var logs syncBuffer
	g := startGatewayLogged(t, map[string]string{"SWITCHBOARD_SANDBOX": ""}, slog.New(slog.NewTextHandler(&logs, nil)))
	for _, q := range []string{`{ __schema { queryType { name } } }`, `{ __type(name: "Query") { name } }`} {
		if r := g.query(q, nil); strings.Join(r.codes(), ",") != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "introspection") {
			t.Errorf("%s: %v", q, r.Errors)
		}
	}
	if r := g.query(`{ __typename }`, nil); len(r.Errors) != 0 {
		t.Errorf("__typename: %v", r.Errors)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("refusals logged as errors: %s", logs.String())
	}
	for key, want := range map[string]int{"": 401, "wrong": 401, g.key: 200} {
		req, _ := http.NewRequest("GET", g.url+"/schema.graphql", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (want == 200) != strings.Contains(string(raw), "type Query") {
			t.Errorf("schema with key %q: %d %.80s", key, resp.StatusCode, raw)
		}
	}
}

// Arguments are checked before any resolver runs: a string over its
// maximum length (in an argument, a list or an input object) or a Date /
// DateTime that does not parse is BAD_USER_INPUT naming the argument, and
// the upstream is never called. An input that does reach a resolver is not
// quoted back whole.
func TestArgumentsCheckedBeforeUpstream(t *testing.T) {
	f, env := mmpUpstream(t, nil)
	g := startGateway(t, env)
	long := strings.Repeat("A", 1001)
	cases := []struct {
		name, query string
		vars        map[string]any
		field, want string
	}{
		{"long literal", `{ vehicle(plate: "` + long + `") { plate } }`, nil, "plate", "1001 characters"},
		{"long variable", `query($p: String!) { vehicle(plate: $p) { plate } }`, map[string]any{"p": long}, "plate", "the limit is 1000"},
		{"long list element", `query($c: [String!]) { folders(columns: $c) { totalCount } }`, map[string]any{"c": []string{"a", long}}, "columns", "1001 characters"},
		{"long input field", `query($f: [FolderFilter!]) { folders(filter: $f) { totalCount } }`, map[string]any{"f": []map[string]any{{"column": long, "operator": "=", "value": "x"}}}, "filter.column", "1001 characters"},
		{"bad DateTime", `{ calls(since: "yesterday") { totalCount } }`, nil, "since", "RFC 3339"},
	}
	for _, c := range cases {
		r := g.query(c.query, c.vars)
		if len(r.Errors) != 1 || r.codes()[0] != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field || !strings.Contains(r.Errors[0].Message, c.want) {
			t.Errorf("%s: %+v", c.name, r.Errors)
		}
		if strings.Contains(r.Errors[0].Message, long[:101]) {
			t.Errorf("%s: the input is echoed", c.name)
		}
	}
	if n := f.Knobs.TotalCalls(); n != 0 {
		t.Errorf("refused arguments made %d upstream calls", n)
	}
	// Within the limit the resolver sees it; its message may quote the
	// input, but not past 100 characters.
	r := g.query(`query($p: String!) { vehicle(plate: $p) { plate } }`, map[string]any{"p": strings.Repeat("!", 500)})
	if len(r.Errors) != 1 || r.codes()[0] != "BAD_USER_INPUT" || strings.Contains(r.Errors[0].Message, strings.Repeat("!", 101)) {
		t.Errorf("500-character plate: %+v", r.Errors)
	}
}

// Every error answer of /graphql carries extensions.code, whoever wrote it.
func TestTransportErrorsCarryACode(t *testing.T) {
	g := startGateway(t, map[string]string{"SWITCHBOARD_RATE_LIMIT": "0"})
	multipart := func(parts ...string) string {
		var b strings.Builder
		for i := 0; i+1 < len(parts); i += 2 {
			b.WriteString("--X\r\nContent-Disposition: form-data; name=\"" + parts[i] + "\"\r\n\r\n" + parts[i+1] + "\r\n")
		}
		return b.String() + "--X--\r\n"
	}
	cases := []struct {
		name, ctype, body string
		header            map[string]string
	}{
		{"transport not supported", "text/plain", "{ __typename }", nil},
		{"multipart without operations", "multipart/form-data; boundary=X", multipart("map", "{}"), nil},
		{"multipart, operations not JSON", "multipart/form-data; boundary=X", multipart("operations", "{nope", "map", "{}"), nil},
		{"multipart, not multipart", "multipart/form-data; boundary=X", "garbage", nil},
	}
	for _, c := range cases {
		resp, raw := g.post(g.key, c.ctype, c.body, c.header)
		r := decode(t, resp.StatusCode, raw)
		if resp.StatusCode < 400 || len(r.Errors) == 0 {
			t.Errorf("%s: %d %s", c.name, resp.StatusCode, raw)
		}
		for _, e := range r.Errors {
			if code, _ := e.Extensions["code"].(string); code == "" {
				t.Errorf("%s: uncoded error %s", c.name, raw)
			}
		}
	}
	// A WebSocket upgrade from a foreign origin is refused with a coded body.
	req, _ := http.NewRequest("GET", g.url+"/graphql", nil)
	for k, v := range map[string]string{"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
		"Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol": "graphql-transport-ws", "Origin": "https://evil.example"} {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if r := decode(t, resp.StatusCode, raw); resp.StatusCode != 403 || strings.Join(r.codes(), ",") != "FORBIDDEN" {
		t.Errorf("foreign-origin upgrade: %d %s", resp.StatusCode, raw)
	}
}

// wsConn is a raw graphql-transport-ws client.
type wsConn struct {
	t   *testing.T
	c   *websocket.Conn
	ctx context.Context
}

func dialWS(t *testing.T, g *testGateway) *wsConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	c, resp, err := websocket.Dial(ctx, strings.Replace(g.url, "http", "ws", 1)+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	if p := resp.Header.Get("Sec-WebSocket-Protocol"); p != "graphql-transport-ws" {
		t.Fatalf("subprotocol %q", p)
	}
	t.Cleanup(func() { c.CloseNow() })
	return &wsConn{t: t, c: c, ctx: ctx}
}

func (w *wsConn) send(v any) {
	w.t.Helper()
	b, ok := v.(string)
	if !ok {
		raw, _ := json.Marshal(v)
		b = string(raw)
	}
	if err := w.c.Write(w.ctx, websocket.MessageText, []byte(b)); err != nil {
		w.t.Fatal(err)
	}
}

// read returns the next message other than ping/pong, or the close code
// the server ended with.
func (w *wsConn) read() (map[string]any, websocket.StatusCode) {
	w.t.Helper()
	for {
		_, b, err := w.c.Read(w.ctx)
		if err != nil {
			code := websocket.CloseStatus(err)
			if code == -1 {
				w.t.Fatalf("read: %v", err)
			}
			return nil, code
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			w.t.Fatalf("not JSON: %s", b)
		}
		switch m["type"] {
		case "ping":
			w.send(map[string]any{"type": "pong"})
			continue
		case "pong":
			continue
		}
		return m, 0
	}
}

func (w *wsConn) init(key string) {
	w.t.Helper()
	w.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + key}})
	if m, code := w.read(); m["type"] != "connection_ack" || m["payload"] != nil {
		w.t.Fatalf("ack: %v (close %d)", m, code)
	}
}

// TestWebSocketProtocol holds the socket to graphql-transport-ws's
// PROTOCOL.md, close code by close code.
func TestWebSocketProtocol(t *testing.T) {
	g := startGateway(t, map[string]string{"SWITCHBOARD_WS_INIT_TIMEOUT": "300ms"})
	sub := func(id, query string) map[string]any {
		return map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query}}
	}
	closeCases := []struct {
		name string
		do   func(w *wsConn)
		want websocket.StatusCode
	}{
		{"no connection_init in time", func(*wsConn) {}, 4408},
		{"bad key", func(w *wsConn) {
			w.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer wrong"}})
		}, 4403},
		{"no key", func(w *wsConn) { w.send(map[string]any{"type": "connection_init"}) }, 4403},
		{"subscribe before the ack", func(w *wsConn) { w.send(sub("1", "subscription { heartbeat }")) }, 4401},
		{"second connection_init", func(w *wsConn) {
			w.init(g.key)
			w.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + g.key}})
		}, 4429},
		{"duplicate operation id", func(w *wsConn) {
			w.init(g.key)
			w.send(sub("dup", "subscription { heartbeat(seconds: 60, count: 2) }"))
			w.send(sub("dup", "subscription { heartbeat(seconds: 60, count: 2) }"))
		}, 4409},
		{"invalid JSON frame", func(w *wsConn) { w.init(g.key); w.send("{nope") }, 4400},
		{"unknown message type", func(w *wsConn) { w.init(g.key); w.send(map[string]any{"type": "next", "id": "1"}) }, 4400},
	}
	for _, c := range closeCases {
		t.Run(c.name, func(t *testing.T) {
			w := dialWS(t, g)
			c.do(w)
			if m, code := w.read(); code != c.want {
				t.Fatalf("got %v / close %d, want close %d", m, code, c.want)
			}
		})
	}

	t.Run("no graphql-transport-ws subprotocol", func(t *testing.T) {
		_, resp, err := websocket.Dial(t.Context(), strings.Replace(g.url, "http", "ws", 1)+"/graphql", nil)
		if err == nil || resp == nil || resp.StatusCode != 400 {
			t.Fatalf("dial without the subprotocol: %v %v", err, resp)
		}
	})

	t.Run("operations", func(t *testing.T) {
		w := dialWS(t, g)
		w.init(g.key)
		// A document refused before execution answers `error`, and nothing
		// more for that id: the next message is the next operation's.
		w.send(sub("bad", "subscription { nope }"))
		m, _ := w.read()
		errs, _ := m["payload"].([]any)
		if m["type"] != "error" || m["id"] != "bad" || len(errs) != 1 || errs[0].(map[string]any)["extensions"].(map[string]any)["code"] != "BAD_USER_INPUT" {
			t.Fatalf("invalid document: %v", m)
		}
		w.send(sub("q", "{ sources { name } }"))
		if m, _ := w.read(); m["type"] != "next" || m["id"] != "q" {
			t.Fatalf("query: %v", m)
		}
		if m, _ := w.read(); m["type"] != "complete" || m["id"] != "q" {
			t.Fatalf("query end: %v", m)
		}
		// An id may be reused once its operation completed.
		w.send(sub("q", "subscription { heartbeat(seconds: 1, count: 2) }"))
		for i := 0; i < 2; i++ {
			if m, _ := w.read(); m["type"] != "next" || m["id"] != "q" {
				t.Fatalf("event %d: %v", i, m)
			}
		}
		if m, _ := w.read(); m["type"] != "complete" {
			t.Fatalf("subscription end: %v", m)
		}
		// The client completes a subscription: no complete comes back, the
		// connection stays usable.
		w.send(sub("long", "subscription { heartbeat(seconds: 60, count: 2) }"))
		w.send(map[string]any{"id": "long", "type": "complete"})
		w.send(map[string]any{"type": "ping"})
		w.send(sub("after", "{ __typename }"))
		if m, _ := w.read(); m["id"] != "after" {
			t.Fatalf("after complete: %v", m)
		}
	})
}

// @defer is delivered incrementally over multipart/mixed; without it, a
// plain POST is refused saying how to ask (it answered null for the
// deferred fields and never sent them).
func TestDefer(t *testing.T) {
	g := startGateway(t, nil)
	body, _ := json.Marshal(map[string]any{
		"query":     `query ($p: String!) { vehicle(plate: $p) { plate ... @defer(label: "later") { invoices { id } } } }`,
		"variables": map[string]any{"p": g.gw.Fakes.MMP.Plates()[0]},
	})
	resp, raw := g.post(g.key, "application/json", string(body), map[string]string{"Accept": "multipart/mixed"})
	out := string(raw)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "multipart/mixed") {
		t.Fatalf("multipart/mixed: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), out)
	}
	first, rest, _ := strings.Cut(out, `"incremental"`)
	if !strings.Contains(first, `"plate"`) || strings.Contains(first, `"id"`) || !strings.Contains(rest, `"later"`) || !strings.Contains(rest, `"invoices"`) {
		t.Errorf("not incremental: %s", out)
	}
	resp, raw = g.post(g.key, "application/json", string(body), nil)
	if r := decode(t, resp.StatusCode, raw); resp.StatusCode != 400 || strings.Join(r.codes(), ",") != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "multipart/mixed") {
		t.Errorf("@defer over a plain POST: %d %s", resp.StatusCode, raw)
	}
}

// /metrics names no API key unless asked (SWITCHBOARD_METRICS_KEY_NAMES).
func TestMetricsNameNoKeyByDefault(t *testing.T) {
	name, secret, file := uniqueKey(t)
	g := startGateway(t, map[string]string{"SWITCHBOARD_API_KEYS_FILE": file, "SWITCHBOARD_RATE_LIMIT": "1", "SWITCHBOARD_RATE_BURST": "1"})
	for range 2 {
		g.post(secret, "application/json", `{"query":"{ sources { name } }"}`, nil)
	}
	metrics := get(t, g.url+"/metrics")
	if !strings.Contains(metrics, "switchboard_rate_limited_total") || strings.Contains(metrics, name) || strings.Contains(metrics, secret) {
		t.Errorf("metrics name the key or miss the refusal")
	}
}

// The PBX's crm_token counts only in the POST body: one in the URL (kept by
// proxies and access logs) is as good as none.
func TestWebhookTokenOnlyInBody(t *testing.T) {
	g := startGateway(t, nil)
	resp, err := http.Post(g.url+"/integrations/gravitel?crm_token="+url.QueryEscape(sandboxCRMToken), "application/x-www-form-urlencoded", strings.NewReader("cmd=users"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("token in the URL: %d, want 401", resp.StatusCode)
	}
	if st, _ := g.webhook(form("cmd", "users", "crm_token", sandboxCRMToken)); st != 200 {
		t.Errorf("token in the body: %d", st)
	}
}

// The stock graphql-ws client (tools/graphql-http-audit) against the
// socket: a subscription streams and completes, a bad key closes 4403, a
// refused document answers `error` with coded errors.
func TestWebSocketWithGraphQLWSClient(t *testing.T) {
	if testing.Short() {
		t.Skip("node client")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	if _, err := os.Stat("../tools/graphql-http-audit/node_modules/graphql-ws"); err != nil {
		t.Skip("run `npm ci --prefix tools/graphql-http-audit` first (.ci/run does)")
	}
	g := startGateway(t, nil)
	run := func(key, query string) []map[string]any {
		out, err := exec.CommandContext(t.Context(), node, "--experimental-websocket", "--no-warnings", "../tools/graphql-http-audit/ws-client.mjs",
			strings.Replace(g.url, "http", "ws", 1)+"/graphql", key, query).Output()
		if err != nil {
			t.Fatalf("client: %v\n%s", err, out)
		}
		var events []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			var ev map[string]any
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("client output %q", line)
			}
			events = append(events, ev)
		}
		return events
	}
	evs := run(g.key, "subscription { heartbeat(seconds: 1, count: 2) }")
	if len(evs) < 3 || evs[0]["next"] == nil || evs[1]["next"] == nil || evs[2]["complete"] != true {
		t.Errorf("subscription: %v", evs)
	}
	if evs := run("wrong", "subscription { heartbeat }"); len(evs) == 0 || evs[0]["closed"] != float64(4403) {
		t.Errorf("bad key: %v", evs)
	}
	evs = run(g.key, "subscription { nope }")
	if len(evs) == 0 || evs[0]["error"] == nil || !strings.Contains(fmt.Sprint(evs[0]["error"]), "BAD_USER_INPUT") {
		t.Errorf("invalid document: %v", evs)
	}
}
