package upstream_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/sources/upstream"
)

func TestBreakerOpensThenProbes(t *testing.T) {
	var calls atomic.Int64
	var healthy atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if !healthy.Load() {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = w.Write([]byte("{}"))
	}))
	defer srv.Close()
	c := &upstream.Client{Source: "test", BaseURL: srv.URL, MaxRetries: -1, BreakerFailures: 3, BreakerCoolDown: 50 * time.Millisecond}
	get := func() error {
		_, err := c.Do(context.Background(), &upstream.Request{Operation: "op", Method: "GET", Path: "/", Idempotent: true})
		return err
	}
	for range 3 {
		if err := get(); err == nil {
			t.Fatal("failing upstream answered")
		}
	}
	if c.BreakerStates()["op"] != "open" {
		t.Fatalf("breaker = %v, want open", c.BreakerStates())
	}
	before := calls.Load()
	err := get()
	if ue, ok := upstream.AsError(err); !ok || ue.Kind != upstream.KindUnavailable || calls.Load() != before {
		t.Fatalf("open breaker: err %v, upstream calls %d -> %d (want fail fast)", err, before, calls.Load())
	}
	healthy.Store(true)
	deadline := time.Now().Add(5 * time.Second)
	for get() != nil {
		if time.Now().After(deadline) {
			t.Fatal("breaker never closed after the upstream recovered")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if c.BreakerStates()["op"] != "closed" {
		t.Fatalf("breaker = %v, want closed", c.BreakerStates())
	}
}

func TestRejectionsDoNotOpenBreaker(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer srv.Close()
	c := &upstream.Client{Source: "test", BaseURL: srv.URL, BreakerFailures: 2}
	for range 5 {
		_, _ = c.Do(context.Background(), &upstream.Request{Operation: "op", Method: "GET", Path: "/"})
	}
	if c.BreakerStates()["op"] != "closed" {
		t.Fatalf("breaker = %v after 4xx answers, want closed", c.BreakerStates())
	}
}

func TestBulkheadBoundsConcurrency(t *testing.T) {
	var cur, peak atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		cur.Add(-1)
		_, _ = w.Write([]byte("{}"))
	}))
	defer srv.Close()
	c := &upstream.Client{Source: "test", BaseURL: srv.URL, MaxConcurrent: 3}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Do(context.Background(), &upstream.Request{Operation: "op", Method: "GET", Path: "/"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 3 {
		t.Fatalf("peak concurrency %d, want <= 3", p)
	}
	// A caller whose deadline passes while queued gets a typed timeout.
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer slow.Close()
	defer close(block)
	c2 := &upstream.Client{Source: "test", BaseURL: slow.URL, MaxConcurrent: 1, MaxRetries: -1}
	go func() {
		_, _ = c2.Do(context.Background(), &upstream.Request{Operation: "op", Method: "GET", Path: "/"})
	}()
	time.Sleep(20 * time.Millisecond)
	_, err := c2.Do(ctx, &upstream.Request{Operation: "op", Method: "GET", Path: "/"})
	if ue, ok := upstream.AsError(err); !ok || ue.Kind != upstream.KindTimeout {
		t.Fatalf("queued past deadline: %v, want timeout", err)
	}
}
