package idempotency

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"switchboard/graph/errs"
)

// A request that waits for another holding its key until its own deadline
// names the source the mutation calls.
func TestWaitPastDeadlineNamesSource(t *testing.T) {
	s := newService(t)
	call := Call{Op: "op", Key: "k", Source: "shop", Answer: reflect.TypeFor[string]()}
	key, fp, err := s.scope(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Claim(context.Background(), key, Record{Fingerprint: fp, Lease: time.Now().Add(time.Hour)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = s.Do(ctx, call, func(context.Context) (any, error) { return "x", nil })
	if code, source := errs.Code(err); code != errs.UpstreamTimeout || source != "shop" {
		t.Fatalf("waiting past the deadline: %v (code %s, source %q); want UPSTREAM_TIMEOUT from shop", err, code, source)
	}
	var ge *errs.Error
	if !errors.As(err, &ge) || ge.Outcome != Unknown {
		t.Fatalf("outcome of %v: want %s", err, Unknown)
	}
}
