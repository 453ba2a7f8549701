package gateway

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"testing"
)

// unsized hides a body's length, as a chunked upload does.
type unsized struct{ io.Reader }

func TestLimitBody(t *testing.T) {
	const maxBody, maxUpload = 100, 1000
	small := `{"query":"{ sources { name } }"}`
	cases := []struct {
		name, method, ctype string
		body                io.Reader
		wantStatus          int
		wantCode            string
	}{
		{"small JSON", "POST", "application/json", strings.NewReader(small), 200, ""},
		{"JSON over the limit", "POST", "application/json", strings.NewReader(`{"query":"` + strings.Repeat("x", maxBody) + `"}`), 413, "QUERY_TOO_COMPLEX"},
		{"unsized JSON over the limit", "POST", "application/json", unsized{strings.NewReader(strings.Repeat(" ", maxBody+1))}, 413, "QUERY_TOO_COMPLEX"},
		{"unsized JSON under the limit", "POST", "application/json", unsized{strings.NewReader(small)}, 200, ""},
		{"batched operations", "POST", "application/json", strings.NewReader(" [" + small + "," + small + "]"), 400, "QUERY_TOO_COMPLEX"},
		{"upload over the JSON limit", "POST", "multipart/form-data; boundary=x", strings.NewReader(strings.Repeat("u", maxBody*2)), 200, ""},
		{"upload over its own limit", "POST", "multipart/form-data; boundary=x", strings.NewReader(strings.Repeat("u", maxUpload+1)), 413, "QUERY_TOO_COMPLEX"},
		{"GET", "GET", "", nil, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			next := &okHandler{}
			req := httptest.NewRequest(c.method, "/graphql", c.body)
			if _, ok := c.body.(unsized); ok {
				req.ContentLength = -1
			}
			req.Header.Set("Content-Type", c.ctype)
			rec := httptest.NewRecorder()
			limitBody(maxBody, maxUpload, 0, nil, next).ServeHTTP(rec, req)
			if rec.Code != c.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.wantStatus, rec.Body)
			}
			if c.wantCode != "" {
				if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "json") {
					t.Errorf("Content-Type %q", ct)
				}
				if code := errorCode(t, rec.Body.Bytes()); code != c.wantCode {
					t.Errorf("code %s, want %s", code, c.wantCode)
				}
			}
			if c.name == "unsized JSON under the limit" && string(next.body) != small {
				t.Errorf("the next handler read %q", next.body)
			}
		})
	}
}

// echo answers each operation with its own body, as a GraphQL answer would.
type echo struct{}

func (echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	w.WriteHeader(http.StatusUnprocessableEntity) // dropped: the batch answers 200
	_, _ = w.Write(b)
}

func TestBatches(t *testing.T) {
	op := func(n int) string { return `{"query":"{ n` + strings.Repeat("x", n) + ` }"}` }
	cases := []struct {
		name, body string
		max        int
		wantStatus int
		want       string // the answer, or the error code
	}{
		{"refused when off", "[" + op(1) + "]", 0, 400, "QUERY_TOO_COMPLEX"},
		{"two operations in order", "[" + op(1) + "," + op(2) + "]", 3, 200, "[" + op(1) + "," + op(2) + "]"},
		{"over the cap", "[" + op(1) + "," + op(2) + "," + op(3) + "]", 2, 400, "QUERY_TOO_COMPLEX"},
		{"empty", "[]", 3, 400, "BAD_USER_INPUT"},
		{"not requests", "[1,", 3, 400, "BAD_USER_INPUT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/graphql", strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			limitBody(1000, 1000, c.max, nil, echo{}).ServeHTTP(rec, req)
			if rec.Code != c.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.wantStatus, rec.Body)
			}
			if c.wantStatus == 200 {
				if got := strings.TrimSpace(rec.Body.String()); got != c.want {
					t.Errorf("answer %s, want %s", got, c.want)
				}
				return
			}
			if code := errorCode(t, rec.Body.Bytes()); code != c.want {
				t.Errorf("code %s, want %s", code, c.want)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	const site = "https://app.example"
	cases := []struct {
		name       string
		origins    []string
		method     string
		origin     string
		preflight  bool
		wantStatus int
		wantACAO   string
	}{
		{"off by default", nil, "POST", site, false, 200, ""},
		{"listed origin", []string{site}, "POST", site, false, 200, site},
		{"unlisted origin", []string{site}, "POST", "https://evil.example", false, 200, ""},
		{"any origin", []string{"*"}, "POST", "https://other.example", false, 200, "https://other.example"},
		{"no Origin (not a browser)", []string{site}, "POST", "", false, 200, ""},
		{"preflight of a listed origin", []string{site}, "OPTIONS", site, true, 204, site},
		{"preflight of an unlisted origin", []string{site}, "OPTIONS", "https://evil.example", true, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, "/graphql", nil)
			if c.origin != "" {
				req.Header.Set("Origin", c.origin)
			}
			if c.preflight {
				req.Header.Set("Access-Control-Request-Method", "POST")
				req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
			}
			rec := httptest.NewRecorder()
			cors(c.origins, &okHandler{}).ServeHTTP(rec, req)
			h := rec.Header()
			if rec.Code != c.wantStatus || h.Get("Access-Control-Allow-Origin") != c.wantACAO {
				t.Fatalf("%d ACAO %q, want %d %q", rec.Code, h.Get("Access-Control-Allow-Origin"), c.wantStatus, c.wantACAO)
			}
			if c.wantStatus == 204 && (!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization") || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST")) {
				t.Errorf("preflight headers: %v", h)
			}
			if c.wantACAO != "" && c.wantStatus == 200 && !strings.Contains(h.Get("Access-Control-Expose-Headers"), "Retry-After") {
				t.Errorf("Retry-After not exposed: %v", h)
			}
			if h.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("credentials allowed")
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", graphiqlHandler(nil, ""))
	mux.Handle("GET /healthz", &okHandler{})
	h := edge(slog.New(slog.DiscardHandler), newLogSampler(1), mux)
	for _, path := range []string{"/", "/healthz"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if got := rec.Header().Get(name); got != want {
				t.Errorf("%s %s: %q, want %q", path, name, got, want)
			}
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s CSP %q", path, csp)
		}
		if path != "/" {
			if csp != apiCSP {
				t.Errorf("%s CSP %q", path, csp)
			}
			continue
		}
		// The page's one inline script carries the nonce its policy names.
		m := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(csp)
		if m == nil || !strings.Contains(rec.Body.String(), `<script nonce="`+m[1]+`">`) || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GraphiQL CSP %q does not let its script run", csp)
		}
	}
}

func TestAllowIPs(t *testing.T) {
	p := func(s ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, v := range s {
			out = append(out, netip.MustParsePrefix(v))
		}
		return out
	}
	pbx, proxy := p("203.0.113.0/24", "2001:db8::/32"), p("10.0.0.0/8")
	cases := []struct {
		name             string
		allowed, trusted []netip.Prefix
		remote, xff      string
		want             int
	}{
		{"empty list allows everyone", nil, nil, "198.51.100.7:4000", "", 200},
		{"listed address", pbx, nil, "203.0.113.9:4000", "", 200},
		{"listed IPv6", pbx, nil, "[2001:db8::5]:4000", "", 200},
		{"IPv4-mapped IPv6", pbx, nil, "[::ffff:203.0.113.9]:4000", "", 200},
		{"unlisted address", pbx, nil, "198.51.100.7:4000", "", 403},
		{"forged X-Forwarded-For without trusted proxies", pbx, nil, "198.51.100.7:4000", "203.0.113.9", 403},
		{"X-Forwarded-For from a trusted proxy", pbx, proxy, "10.1.2.3:4000", "203.0.113.9", 200},
		{"client prepends a forged hop", pbx, proxy, "10.1.2.3:4000", "203.0.113.9, 198.51.100.7", 403},
		{"several trusted hops", pbx, proxy, "10.1.2.3:4000", "203.0.113.9, 10.9.9.9", 200},
		{"unparsable hop", pbx, proxy, "10.1.2.3:4000", "nonsense", 403},
		{"trusted proxy with no header is itself the client", pbx, proxy, "10.1.2.3:4000", "", 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var log logBuffer
			req := httptest.NewRequest("POST", "/integrations/gravitel", nil)
			req.RemoteAddr = c.remote
			if c.xff != "" {
				req.Header.Set("X-Forwarded-For", c.xff)
			}
			rec := httptest.NewRecorder()
			AllowIPs(c.allowed, c.trusted, log.logger(), &okHandler{}).ServeHTTP(rec, req)
			if rec.Code != c.want {
				t.Fatalf("status %d, want %d", rec.Code, c.want)
			}
			if c.want == 403 && strings.TrimSpace(rec.Body.String()) != `{"error":"Forbidden"}` {
				t.Errorf("body %s", rec.Body)
			}
		})
	}
}

// The access log keeps one successful request in N, and every refused or
// failed one.
func TestAccessLogSample(t *testing.T) {
	cases := []struct {
		every, ok, failed, lines int
	}{
		{every: 1, ok: 5, failed: 0, lines: 5},
		{every: 3, ok: 6, failed: 0, lines: 2},
		{every: 3, ok: 2, failed: 2, lines: 2},
		{every: 100, ok: 10, failed: 1, lines: 1},
	}
	for _, c := range cases {
		var logs logBuffer
		h := edge(logs.logger(), newLogSampler(c.every), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/fail" {
				w.WriteHeader(http.StatusBadRequest)
			}
		}))
		for i := range c.ok + c.failed {
			path := "/ok"
			if i >= c.ok {
				path = "/fail"
			}
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
		}
		if n := strings.Count(logs.String(), "msg=http"); n != c.lines {
			t.Errorf("one in %d, %d ok and %d failed: %d lines, want %d:\n%s", c.every, c.ok, c.failed, n, c.lines, logs.String())
		}
	}
}
