package loaders

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestFanOutDeduplicates(t *testing.T) {
	var calls atomic.Int64
	l := FanOut(func(_ context.Context, k string) (string, error) { calls.Add(1); return k + "!", nil })
	ctx := context.Background()
	thunks := []func() (string, error){l.Load(ctx, "a"), l.Load(ctx, "a"), l.Load(ctx, "b")}
	for _, th := range thunks {
		if _, err := th(); err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != 2 {
		t.Fatalf("fetches = %d, want 2", calls.Load())
	}
}

func TestBatchMakesOneCall(t *testing.T) {
	var calls atomic.Int64
	l := Batch(100, func(_ context.Context, ks []int) (map[int]int, error) {
		calls.Add(1)
		out := map[int]int{}
		for _, k := range ks {
			out[k] = k * 2
		}
		return out, nil
	})
	ctx := context.Background()
	var thunks []func() (int, error)
	for i := range 50 {
		thunks = append(thunks, l.Load(ctx, i))
	}
	for i, th := range thunks {
		if v, err := th(); err != nil || v != i*2 {
			t.Fatalf("key %d: %v %v", i, v, err)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("batch calls = %d, want 1", calls.Load())
	}
}

func BenchmarkFanOutDispatch(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		l := FanOut(func(_ context.Context, k int) (int, error) { return k, nil })
		if _, err := l.Load(ctx, 1)(); err != nil {
			b.Fatal(err)
		}
	}
}
