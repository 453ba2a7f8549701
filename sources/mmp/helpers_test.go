package mmp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/sources/mmp"
	"switchboard/sources/mmp/fake"
	"switchboard/sources/upstream"
	"switchboard/sources/upstream/upstreamtest"
)

// Small fleet: the seed examples are what most tests check, and the race
// detector makes generation slow.
const testVehicles = 120

// env is a client talking over real HTTP to a fake, through a gate that
// counts every request by path and can inject failures.
type env struct {
	fake   *fake.Server
	srv    *httptest.Server
	client *mmp.Client
	gate   *gate
}

type gate struct {
	next http.Handler
	// failNext makes the next n non-token requests answer 503 with an HTML page.
	failNext atomic.Int32
	// override, when set, answers non-token requests instead of the fake.
	override http.HandlerFunc

	mu   sync.Mutex
	hits map[string]int
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.hits[r.URL.Path]++
	g.mu.Unlock()
	if !strings.HasSuffix(r.URL.Path, "/token") {
		if g.failNext.Load() > 0 && g.failNext.Add(-1) >= 0 {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<html><body>503 Service Unavailable</body></html>"))
			return
		}
		if g.override != nil {
			g.override(w, r)
			return
		}
	}
	g.next.ServeHTTP(w, r)
}

// Hits counts requests whose path ends with suffix.
func (g *gate) Hits(suffix string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for p, c := range g.hits {
		if strings.HasSuffix(p, suffix) {
			n += c
		}
	}
	return n
}

func newEnv(t *testing.T, mutate ...func(*mmp.Config)) *env {
	t.Helper()
	return newEnvReading(t, fake.DocumentReading, mutate...)
}

// readings are the fake's two readings of the seed, for tests that run
// under both.
var readings = map[string]fake.Reading{"document": fake.DocumentReading, "other": fake.OtherReading}

func newEnvReading(t *testing.T, r fake.Reading, mutate ...func(*mmp.Config)) *env {
	t.Helper()
	f := fake.New(fake.Options{Seed: 42, Vehicles: testVehicles, Reading: r})
	g := &gate{next: f, hits: map[string]int{}}
	srv := newServer(t, g)
	o := f.Options()
	cfg := mmp.Config{
		BaseURL: srv.URL, Version: o.Version, Network: o.Network,
		ClientID: o.ClientID, ClientSecret: o.ClientSecret, Username: o.Username, Password: o.Password,
		HTTP: srv.Client(), Timeout: 5 * time.Second,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := mmp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &env{fake: f, srv: srv, client: c, gate: g}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// wantKind fails unless err is an *upstream.Error of kind k.
func wantKind(t *testing.T, err error, k upstream.Kind) *upstream.Error {
	t.Helper()
	return upstreamtest.WantKind(t, err, "mmp", k)
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// is tells a nullable upstream number equals n (and was sent).
func is[N int | float64 | bool](p *N, n N) bool { return p != nil && *p == n }
