package upstream_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"switchboard/sources/upstream"
)

// tokenServer issues numbered tokens and serves /data, answering 401 to any
// token older than the newest, and failing the first `fail` data calls.
type tokenServer struct {
	issued  atomic.Int64
	data    atomic.Int64
	fail    atomic.Int64
	status  int
	revoked atomic.Int64 // tokens <= revoked are refused
}

func (s *tokenServer) fetch() (*oauth2.Token, error) {
	n := s.issued.Add(1)
	return &oauth2.Token{AccessToken: "tok-" + itoa(n), Expiry: time.Now().Add(time.Hour)}, nil
}

func (s *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.data.Add(1)
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer tok-")
	if n := atoi(tok); n <= s.revoked.Load() {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"expired"}`))
		return
	}
	if s.fail.Add(-1) >= 0 {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(s.status)
		_, _ = w.Write([]byte("<html>bad gateway</html>"))
		return
	}
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func atoi(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func newClient(t *testing.T, s *tokenServer) *upstream.Client {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &upstream.Client{
		Source:  "test",
		BaseURL: srv.URL,
		Auth:    upstream.BearerAuth{Source: "test", Tokens: upstream.NewTokens(upstream.TokenFunc(s.fetch))},
	}
}

func TestTokenReusedAcrossCallsAndConcurrentCallers(t *testing.T) {
	s := &tokenServer{}
	c := newClient(t, s)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Do(context.Background(), &upstream.Request{Operation: "data", Method: "GET", Path: "/data"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := s.issued.Load(); got != 1 {
		t.Fatalf("tokens issued = %d, want 1", got)
	}
}

func TestRefreshOnceOn401(t *testing.T) {
	s := &tokenServer{}
	c := newClient(t, s)
	ctx := context.Background()
	if _, err := c.Do(ctx, &upstream.Request{Operation: "data", Method: "GET", Path: "/data"}); err != nil {
		t.Fatal(err)
	}
	s.revoked.Store(1) // the upstream forgets token 1
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Do(ctx, &upstream.Request{Operation: "data", Method: "POST", Path: "/data"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := s.issued.Load(); got != 2 {
		t.Fatalf("tokens issued = %d, want 2 (one shared refresh)", got)
	}
	// A token refused even after a refresh is an error, not a loop.
	s.revoked.Store(1 << 40)
	_, err := c.Do(ctx, &upstream.Request{Operation: "data", Method: "GET", Path: "/data"})
	var ue *upstream.Error
	if !errors.As(err, &ue) || ue.Kind != upstream.KindUnauthorized || ue.Status != 401 {
		t.Fatalf("err = %v, want unauthorized 401", err)
	}
}

func TestRetryOnlyIdempotent(t *testing.T) {
	cases := []struct {
		name       string
		idempotent bool
		status     int
		fail       int64
		wantCalls  int64
		wantErr    bool
		wantKind   upstream.Kind
	}{
		{"idempotent read recovers after two 503", true, 503, 2, 3, false, 0},
		{"idempotent read gives up after retries", true, 503, 10, 3, true, upstream.KindUnavailable},
		{"write is never retried", false, 503, 1, 1, true, upstream.KindUnavailable},
		{"client error is not retried", true, 400, 1, 1, true, upstream.KindRejected},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &tokenServer{status: tc.status}
			s.fail.Store(tc.fail)
			c := newClient(t, s)
			_, err := c.Do(context.Background(), &upstream.Request{Operation: "data", Method: "POST", Path: "/data", JSON: map[string]string{"a": "b"}, Idempotent: tc.idempotent})
			if got := s.data.Load(); got != tc.wantCalls {
				t.Errorf("calls = %d, want %d", got, tc.wantCalls)
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				ue, ok := upstream.AsError(err)
				if !ok || ue.Kind != tc.wantKind || ue.Status != tc.status {
					t.Fatalf("err = %#v, want kind %v status %d", err, tc.wantKind, tc.status)
				}
				if !strings.Contains(ue.Message, "HTML error page") && tc.status == 503 {
					t.Errorf("message %q does not describe the HTML page", ue.Message)
				}
			}
		})
	}
}

func TestTimeoutIsTyped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer srv.Close()
	c := &upstream.Client{Source: "test", BaseURL: srv.URL, Timeout: 20 * time.Millisecond, MaxRetries: -1}
	_, err := c.Do(context.Background(), &upstream.Request{Operation: "slow", Method: "GET", Path: "/"})
	ue, ok := upstream.AsError(err)
	if !ok || ue.Kind != upstream.KindTimeout {
		t.Fatalf("err = %v, want timeout", err)
	}
	if strings.Contains(ue.Error(), srv.URL) {
		t.Errorf("error %q leaks the request URL", ue.Error())
	}
}
