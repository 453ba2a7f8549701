package cache

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
)

// TestEachLookupCountedOnce keeps hit / total an honest hit ratio: every
// lookup lands in exactly one result.
func TestEachLookupCountedOnce(t *testing.T) {
	const source = "metrics-test"
	results := []string{"hit", "miss", "stale", "revalidate", "error"}
	count := func() map[string]float64 {
		m := map[string]float64{}
		for _, r := range results {
			m[r] = testutil.ToFloat64(requestsTotal.WithLabelValues(source, "op", r))
		}
		return m
	}
	before := count()

	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	c := New(NewMemory(10), Options{Logger: quiet, Grace: time.Hour, Now: func() time.Time { return time.Unix(0, now.Load()) }})
	ctx := context.Background()
	boom := errors.New("upstream down")
	failing := func(context.Context) ([]byte, error) { return nil, boom }
	var f counter
	k := Key{Source: source, Operation: "op", ID: "1"}

	fetch(t, c, k, time.Minute, f.fn) // miss
	fetch(t, c, k, time.Minute, f.fn) // hit
	now.Add(int64(2 * time.Minute))
	if _, stale, err := c.FetchStale(ctx, k, time.Minute, failing); err != nil || !stale { // stale
		t.Fatalf("FetchStale: stale %v, err %v", stale, err)
	}
	if _, err := c.FetchSWR(ctx, k, time.Minute, f.fn); err != nil { // revalidate
		t.Fatal(err)
	}
	if _, err := c.Fetch(ctx, Key{Source: source, Operation: "op", ID: "2"}, time.Minute, failing); !errors.Is(err, boom) { // miss
		t.Fatalf("err = %v", err)
	}
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	t.Cleanup(func() { _ = down.Close() })
	if _, err := New(NewRedis(down, "x:"), Options{Logger: quiet}).Fetch(ctx, k, time.Minute, f.fn); err != nil { // error
		t.Fatal(err)
	}

	after := count()
	want := map[string]float64{"hit": 1, "miss": 2, "stale": 1, "revalidate": 1, "error": 1}
	for _, r := range results {
		if got := after[r] - before[r]; got != want[r] {
			t.Errorf("%s counted %v times, want %v", r, got, want[r])
		}
	}
}
