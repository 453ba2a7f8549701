package gateway

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// countingBody counts the bytes read from a request body.
type countingBody struct {
	io.Reader
	n *atomic.Int64
}

func (c countingBody) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func TestHeavyLane(t *testing.T) {
	const threshold, maxBody, maxUpload = 100, 10000, 100000
	small := `{"query":"{ sources { name } }"}`
	heavy := `{"query":"{` + strings.Repeat(" __typename", 50) + ` }"}`
	cases := []struct {
		name string
		rate int
		// wait is the longest a heavy request waits for its turn.
		wait  time.Duration
		spent int // heavy requests admitted (and finished) before this one
		// held is a heavy request in flight (after the spent ones): "" none,
		// "parsing", "executing" (parsed and validated).
		held  string
		ctype string
		body  string
		// unsized hides the length, as a chunked body does.
		unsized    bool
		wantStatus int
		wantCode   string
		wantRead   bool // whether the body was read at all
	}{
		{"small body", 1, 0, 0, "parsing", "application/json", small, false, 200, "", true},
		{"heavy within the rate", 2, 0, 1, "", "application/json", heavy, false, 200, "", true},
		{"heavy over the rate waits its turn", 20, time.Second, 20, "", "application/json", heavy, false, 200, "", true},
		{"heavy whose turn is too far", 1, 100 * time.Millisecond, 1, "", "application/json", heavy, false, 429, "RATE_LIMITED", false},
		{"unsized heavy whose turn is too far", 1, 100 * time.Millisecond, 1, "", "application/json", heavy, true, 429, "RATE_LIMITED", true},
		{"heavy while another parses too long", 20, 50 * time.Millisecond, 0, "parsing", "application/json", heavy, false, 429, "RATE_LIMITED", false},
		{"heavy while another executes", 20, 0, 0, "executing", "application/json", heavy, false, 200, "", true},
		{"upload while another parses", 1, 0, 0, "parsing", "multipart/form-data; boundary=x", strings.Repeat("u", 5000), false, 200, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lane := newHeavyLane(threshold, c.rate, c.wait)
			post := func(h http.Handler, ctype, body string, unsized bool, read *atomic.Int64) *httptest.ResponseRecorder {
				req := httptest.NewRequest("POST", "/graphql", countingBody{strings.NewReader(body), read})
				// httptest knows the length of a strings.Reader only.
				req.ContentLength = int64(len(body))
				if unsized {
					req.ContentLength = -1
				}
				req.Header.Set("Content-Type", ctype)
				rec := httptest.NewRecorder()
				limitBody(maxBody, maxUpload, 0, lane, h).ServeHTTP(rec, req)
				return rec
			}
			for range c.spent {
				if rec := post(&okHandler{}, "application/json", heavy, false, new(atomic.Int64)); rec.Code != 200 {
					t.Fatalf("an earlier heavy request: %d %s", rec.Code, rec.Body)
				}
			}
			if c.held != "" {
				entered, done, finished := make(chan struct{}), make(chan struct{}), make(chan struct{})
				held := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body)
					if c.held == "executing" {
						// What gqlgen does once the document is parsed and validated.
						releaseHeavy(r.Context(), func(context.Context) graphql.ResponseHandler { return nil })
					}
					close(entered)
					<-done
				})
				go func() { defer close(finished); post(held, "application/json", heavy, false, new(atomic.Int64)) }()
				select {
				case <-entered:
				case <-finished:
					t.Fatal("the held heavy request was refused")
				}
				t.Cleanup(func() { close(done); <-finished })
			}
			next := &okHandler{}
			read := new(atomic.Int64)
			rec := post(next, c.ctype, c.body, c.unsized, read)
			if rec.Code != c.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.wantStatus, rec.Body)
			}
			if got := read.Load() > 0; got != c.wantRead {
				t.Errorf("%d body bytes read, want read=%v", read.Load(), c.wantRead)
			}
			if c.wantStatus == 200 {
				if string(next.body) != c.body {
					t.Errorf("the next handler read %q", next.body)
				}
				return
			}
			if code := errorCode(t, rec.Body.Bytes()); code != c.wantCode {
				t.Errorf("code %s, want %s", code, c.wantCode)
			}
			if rec.Header().Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			// Closing spares net/http from draining the unread body.
			if rec.Header().Get("Connection") != "close" {
				t.Error("the refusal keeps the connection")
			}
			if msg := rec.Body.String(); !strings.Contains(msg, "persisted query") || strings.Contains(msg, "__typename") {
				t.Errorf("message %s", msg)
			}
		})
	}
}
