package cache

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestFetchSWR(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	c := New(NewMemory(10), Options{Grace: time.Hour, Now: func() time.Time { return time.Unix(0, now.Load()) }})
	ctx := context.Background()
	k := Key{Source: "shop", Operation: "catalogue", ID: "all"}
	var calls atomic.Int64
	release := make(chan struct{})
	fn := func(context.Context) ([]byte, error) {
		n := calls.Add(1)
		if n == 2 {
			<-release // the background refresh is slow
		}
		return []byte{byte('0' + n)}, nil
	}
	if v, err := c.FetchSWR(ctx, k, time.Minute, fn); err != nil || string(v) != "1" {
		t.Fatalf("first: %q %v", v, err)
	}
	now.Add(int64(2 * time.Minute))
	// Past the TTL: the old value comes back at once, a refresh starts.
	if v, err := c.FetchSWR(ctx, k, time.Minute, fn); err != nil || string(v) != "1" {
		t.Fatalf("stale: %q %v", v, err)
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		v, err := c.FetchSWR(ctx, k, time.Minute, func(context.Context) ([]byte, error) { return nil, errors.New("no more calls expected") })
		if err == nil && string(v) == "2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("refresh never landed: %q %v", v, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("fetches = %d, want 2", n)
	}
}
