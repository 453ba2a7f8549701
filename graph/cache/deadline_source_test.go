package cache

import (
	"context"
	"errors"
	"testing"
	"time"
)

// slowStore answers nothing before the caller's deadline.
type slowStore struct{ Store }

func (slowStore) Get(ctx context.Context, _ string) ([]byte, bool, error) {
	<-ctx.Done()
	return nil, false, ctx.Err()
}

// A deadline that passes while the store is read, or while another
// caller's fetch of the same key runs, is an upstream timeout naming the
// source whose data was waited for, and still a context.DeadlineExceeded.
func TestDeadlineWhileWaitingNamesSource(t *testing.T) {
	k := Key{Source: "mmp", Operation: "vision360", ID: "AB123CD"}
	slow := func(ctx context.Context) ([]byte, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
			return []byte(`1`), nil
		}
	}
	for _, tc := range []struct {
		name  string
		store Store
	}{
		{"store read", slowStore{NewMemory(10)}},
		{"shared fetch", NewMemory(10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(tc.store, Options{})
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			_, err := c.Fetch(ctx, k, time.Minute, slow)
			var ue interface{ UpstreamSource() string }
			if !errors.As(err, &ue) || ue.UpstreamSource() != "mmp" || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v; want a timeout naming mmp", err)
			}
		})
	}
}
