package upstream_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/sources/upstream"
)

// A POST that may have been applied is never resent; one that never left
// (connection refused) is; a timeout after sending is an unknown outcome.
func TestRetryPolicyAndOutcome(t *testing.T) {
	var calls atomic.Int64
	slow := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		switch r.URL.Path {
		case "/fail":
			w.WriteHeader(http.StatusInternalServerError)
		case "/slow":
			select {
			case <-slow:
			case <-time.After(5 * time.Second):
			}
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(slow) }) // runs first: the server's Close waits for its handlers
	// A port nothing listens on: the connection is refused before any byte is sent.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	cases := []struct {
		name        string
		base, path  string
		method      string
		idempotent  bool
		timeout     time.Duration
		wantCalls   int64
		wantSent    bool
		wantOutcome string
		wantKind    upstream.Kind
	}{
		{"POST 500 not resent", srv.URL, "/fail", http.MethodPost, false, 0, 1, true, "", upstream.KindUnavailable},
		{"GET 500 retried", srv.URL, "/fail", http.MethodGet, true, 0, 3, true, "", upstream.KindUnavailable},
		{"POST timeout unknown", srv.URL, "/slow", http.MethodPost, false, 200 * time.Millisecond, 1, true, "UNKNOWN", upstream.KindTimeout},
		{"GET timeout known", srv.URL, "/slow", http.MethodGet, true, 200 * time.Millisecond, 3, true, "", upstream.KindTimeout},
		{"POST refused retried", refused, "/x", http.MethodPost, false, 0, 0, false, "", upstream.KindUnavailable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls.Store(0)
			cl := &upstream.Client{Source: "test", BaseURL: c.base, Timeout: c.timeout, BreakerFailures: 100}
			_, err := cl.Do(context.Background(), &upstream.Request{Operation: "op", Method: c.method, Path: c.path, JSON: map[string]int{"a": 1}, Idempotent: c.idempotent})
			ue, ok := upstream.AsError(err)
			if !ok {
				t.Fatalf("err = %v", err)
			}
			if calls.Load() != c.wantCalls || ue.Sent != c.wantSent || ue.UpstreamOutcome() != c.wantOutcome || ue.Kind != c.wantKind {
				t.Fatalf("calls %d sent %v outcome %q kind %v; want %d %v %q %v", calls.Load(), ue.Sent, ue.UpstreamOutcome(), ue.Kind, c.wantCalls, c.wantSent, c.wantOutcome, c.wantKind)
			}
		})
	}
}
