package idempotency

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"switchboard/graph/errs"
	"switchboard/sources/upstream"
)

// upErr is an upstream failure as the source kit reports it.
type upErr struct {
	sent    bool
	outcome string
}

func (e upErr) Error() string               { return "upstream failed" }
func (e upErr) UpstreamSource() string      { return "shop" }
func (e upErr) UpstreamOperation() string   { return "op" }
func (e upErr) UpstreamKind() upstream.Kind { return upstream.KindTimeout }
func (e upErr) UpstreamStatus() int         { return 0 }
func (e upErr) UpstreamMessage() string     { return "timed out" }
func (e upErr) UpstreamSent() bool          { return e.sent }
func (e upErr) UpstreamOutcome() string     { return e.outcome }

func newService(t *testing.T) *Service {
	b, err := OpenBolt(filepath.Join(t.TempDir(), "idem.db"))
	if err != nil {
		t.Fatal(err)
	}
	s := New(b, time.Hour, nil)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestDoOutcomes(t *testing.T) {
	ctx := context.Background()
	answer := reflect.TypeFor[string]()
	cases := []struct {
		name      string
		first     error
		wantCalls int32  // after the same request twice
		wantCode  string // of the second answer ("" : success)
		wantOut   string
	}{
		{"success is replayed", nil, 1, "", ""},
		{"refused by the gateway: the key stays free", errs.BadInput("x", "bad"), 2, "", ""},
		{"never sent: the key stays free", upErr{sent: false}, 2, "", ""},
		{"sent, answer lost: unknown, not resent", upErr{sent: true, outcome: Unknown}, 1, errs.UpstreamTimeout, Unknown},
		{"sent and refused: the failure is replayed", upErr{sent: true}, 1, errs.UpstreamTimeout, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newService(t)
			var calls atomic.Int32
			run := func(context.Context) (any, error) {
				if calls.Add(1) == 1 && c.first != nil {
					return nil, c.first
				}
				return "done", nil
			}
			call := Call{Op: "op", Args: map[string]any{"a": 1}, Key: "k", Answer: answer}
			_, _ = s.Do(ctx, call, run)
			v, err := s.Do(ctx, call, run)
			if calls.Load() != c.wantCalls {
				t.Fatalf("%d calls, want %d", calls.Load(), c.wantCalls)
			}
			if c.wantCode == "" {
				if err != nil || v != "done" {
					t.Fatalf("second: %v %v", v, err)
				}
				return
			}
			var gqe *gqlerror.Error
			if !errors.As(err, &gqe) || gqe.Extensions["code"] != c.wantCode || gqe.Extensions[ReplayExtension] != true ||
				(c.wantOut != "" && gqe.Extensions["outcome"] != c.wantOut) {
				t.Fatalf("second: %#v", err)
			}
		})
	}
}

// A request holding a key another request is running waits for it, but
// no longer than its own deadline; a claim whose lease lapsed is an
// unknown outcome, never a second call.
func TestDoWaitsAndLeases(t *testing.T) {
	s := newService(t)
	call := Call{Op: "op", Key: "k", Answer: reflect.TypeFor[string]()}
	key, fp, err := s.scope(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Claim(context.Background(), key, Record{Fingerprint: fp, Lease: time.Now().Add(time.Hour)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	called := false
	_, err = s.Do(ctx, call, func(context.Context) (any, error) { called = true; return "x", nil })
	var ge *errs.Error
	if called || !errors.As(err, &ge) || ge.Code != errs.UpstreamTimeout || ge.Outcome != Unknown {
		t.Fatalf("waiting past the deadline: called %v, %v", called, err)
	}
	if err := s.store.Put(context.Background(), key, Record{Fingerprint: fp, Lease: time.Now().Add(-time.Second)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	_, err = s.Do(context.Background(), call, func(context.Context) (any, error) { called = true; return "x", nil })
	var gqe *gqlerror.Error
	if called || !errors.As(err, &gqe) || gqe.Extensions["outcome"] != Unknown {
		t.Fatalf("lapsed claim: called %v, %v", called, err)
	}
}
