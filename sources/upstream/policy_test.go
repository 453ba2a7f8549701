package upstream_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/sources/upstream"
)

// failing serves fail() answers as 502, the rest as 200, counting calls.
func failing(t *testing.T, fail func(n int64) bool) (*httptest.Server, *atomic.Int64) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail(calls.Add(1)) {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = w.Write([]byte("{}"))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// Half the calls failing, never 5 in a row, opens the breaker once 20 calls
// are counted; then an open breaker answers at once, without a call and
// without retrying (a retried open breaker cost 42 to 117 ms).
func TestBreakerOpensOnFailureRatioAndFailsFast(t *testing.T) {
	srv, calls := failing(t, func(n int64) bool { return n%2 == 0 })
	c := &upstream.Client{Source: "ratio", BaseURL: srv.URL, MaxRetries: -1}
	get := func() error {
		_, err := c.Do(context.Background(), &upstream.Request{Operation: "op", Method: "GET", Path: "/", Idempotent: true})
		return err
	}
	for i := range 19 {
		_ = get()
		if st := c.BreakerStates()["op"]; st != "closed" {
			t.Fatalf("breaker %s after %d calls", st, i+1)
		}
	}
	_ = get()
	if st := c.BreakerStates()["op"]; st != "open" {
		t.Fatalf("breaker %s after 20 calls, half failed", st)
	}
	before := calls.Load()
	start := time.Now()
	err := get()
	took := time.Since(start)
	var ue *upstream.Error
	if !errors.As(err, &ue) || ue.Kind != upstream.KindUnavailable || ue.Source != "ratio" {
		t.Fatalf("open breaker: %v", err)
	}
	if calls.Load() != before {
		t.Errorf("an open breaker called the upstream")
	}
	if took > time.Second {
		t.Errorf("an open breaker took %v", took)
	}
}

// An open breaker is not retried even for an idempotent request allowed
// retries: the answer comes without a backoff.
func TestOpenBreakerIsNotRetried(t *testing.T) {
	srv, calls := failing(t, func(int64) bool { return true })
	c := &upstream.Client{Source: "noretry", BaseURL: srv.URL, MaxRetries: 2, BreakerFailures: 1, BreakerCoolDown: time.Minute}
	_, _ = c.Do(context.Background(), &upstream.Request{Operation: "op", Method: "GET", Path: "/", Idempotent: true})
	if c.BreakerStates()["op"] != "open" {
		t.Fatalf("breaker %v", c.BreakerStates())
	}
	before := calls.Load()
	var total time.Duration
	for range 20 {
		start := time.Now()
		_, err := c.Do(context.Background(), &upstream.Request{Operation: "op", Method: "GET", Path: "/", Idempotent: true})
		total += time.Since(start)
		if err == nil {
			t.Fatal("open breaker answered")
		}
	}
	if calls.Load() != before {
		t.Errorf("%d calls through an open breaker", calls.Load()-before)
	}
	// Generous: one backoff alone would be 50 ms or more per call.
	if total > 500*time.Millisecond {
		t.Errorf("20 refusals by an open breaker took %v", total)
	}
}

// The per-source timeout of the policy bounds each attempt of a client that
// sets none, and the error names the source.
func TestPolicyTimeoutPerSource(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	upstream.Configure(upstream.Policy{Timeouts: map[string]time.Duration{"slow": 100 * time.Millisecond}})
	t.Cleanup(func() { upstream.Configure(upstream.Policy{}) })
	c := &upstream.Client{Source: "slow", BaseURL: srv.URL, MaxRetries: -1}
	start := time.Now()
	_, err := c.Do(context.Background(), &upstream.Request{Operation: "op", Method: "GET", Path: "/"})
	var ue *upstream.Error
	if !errors.As(err, &ue) || ue.Kind != upstream.KindTimeout || ue.Source != "slow" {
		t.Fatalf("err %v", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("timed out after %v", took)
	}
}
