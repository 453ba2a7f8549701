package upstream_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchboard/sources/upstream"
)

// breakerGauge reads switchboard_upstream_breaker_state{source, operation}
// from the default registry, as a scrape would; -1 when the series is absent.
func breakerGauge(t *testing.T, source, op string) float64 {
	t.Helper()
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "switchboard_upstream_breaker_state" {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, lp := range m.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			if l["source"] == source && l["operation"] == op {
				return m.GetGauge().GetValue()
			}
		}
	}
	return -1
}

// trippedClient has operation "down" open and "up" closed.
func trippedClient(t *testing.T, source string, coolDown time.Duration) *upstream.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = w.Write([]byte("{}"))
	}))
	t.Cleanup(srv.Close)
	c := &upstream.Client{Source: source, BaseURL: srv.URL, MaxRetries: -1, BreakerFailures: 2, BreakerCoolDown: coolDown}
	for range 2 {
		_, _ = c.Do(context.Background(), &upstream.Request{Operation: "down", Method: "GET", Path: "/down"})
	}
	if _, err := c.Do(context.Background(), &upstream.Request{Operation: "up", Method: "GET", Path: "/up"}); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBreakerStatesAndGauge(t *testing.T) {
	c := trippedClient(t, "breakers-test", 100*time.Millisecond)
	st := upstream.BreakerStates()
	if st["breakers-test/down"] != "open" || st["breakers-test/up"] != "closed" {
		t.Fatalf("BreakerStates = %v", st)
	}
	if g := breakerGauge(t, "breakers-test", "down"); g != 2 {
		t.Fatalf("gauge for the open breaker = %v, want 2", g)
	}
	if g := breakerGauge(t, "breakers-test", "up"); g != 0 {
		t.Fatalf("gauge for the closed breaker = %v, want 0", g)
	}
	// The cool-down ending shows on the next scrape, with no call needed:
	// an idle breaker past its cool-down reads closed (the next call goes
	// through).
	time.Sleep(150 * time.Millisecond)
	if g := breakerGauge(t, "breakers-test", "down"); g != 0 {
		t.Fatalf("gauge after the cool-down = %v, want 0 (closed, idle)", g)
	}
	if st := upstream.BreakerStates()["breakers-test/down"]; st != "closed" {
		t.Fatalf("idle breaker after the cool-down reads %s", st)
	}
	runtime.KeepAlive(c)
}

func TestBreakersOfADroppedClientAreForgotten(t *testing.T) {
	trippedClient(t, "breakers-dropped", time.Minute)
	if upstream.BreakerStates()["breakers-dropped/down"] != "open" {
		t.Fatalf("BreakerStates = %v", upstream.BreakerStates())
	}
	runtime.GC()
	if st, ok := upstream.BreakerStates()["breakers-dropped/down"]; ok {
		t.Fatalf("dropped client's breaker still reported: %s", st)
	}
	if g := breakerGauge(t, "breakers-dropped", "down"); g != -1 {
		t.Fatalf("dropped client's breaker still scraped: %v", g)
	}
}

func TestSharedOperationNameReportsTheWorseState(t *testing.T) {
	open := trippedClient(t, "breakers-shared", time.Minute)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("{}")) }))
	defer srv.Close()
	healthy := &upstream.Client{Source: "breakers-shared", BaseURL: srv.URL}
	if _, err := healthy.Do(context.Background(), &upstream.Request{Operation: "down", Method: "GET", Path: "/"}); err != nil {
		t.Fatal(err)
	}
	if st := upstream.BreakerStates()["breakers-shared/down"]; st != "open" {
		t.Fatalf("state = %s, want open (one of the two clients is open)", st)
	}
	runtime.KeepAlive(open)
	runtime.KeepAlive(healthy)
}
