package loaders

import (
	"context"
	"errors"
	"slices"
	"strings"
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

func TestFanOutLoadMany(t *testing.T) {
	boom := errors.New("boom")
	var calls atomic.Int64
	l := FanOut(func(_ context.Context, k int) (int, error) {
		calls.Add(1)
		if k == 3 {
			return 0, boom
		}
		return k * 10, nil
	})
	ctx := context.Background()
	tests := []struct {
		name     string
		keys     []int
		want     []int
		wantErrs []error
	}{
		{"all load: errs is nil", []int{1, 2, 1}, []int{10, 20, 10}, nil},
		{"one fails: an error per key", []int{2, 3}, []int{20, 0}, []error{nil, boom}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := l.LoadMany(ctx, tt.keys)()
			if !slices.Equal(got, tt.want) || len(errs) != len(tt.wantErrs) {
				t.Fatalf("got %v %v, want %v %v", got, errs, tt.want, tt.wantErrs)
			}
			for i := range errs {
				if !errors.Is(errs[i], tt.wantErrs[i]) {
					t.Fatalf("errs[%d] = %v, want %v", i, errs[i], tt.wantErrs[i])
				}
			}
		})
	}
	if calls.Load() != 3 {
		t.Fatalf("fetches = %d, want 3 (one per distinct key)", calls.Load())
	}
}

func TestFanOutPrimeClearPanic(t *testing.T) {
	var calls atomic.Int64
	l := FanOut(func(_ context.Context, k string) (string, error) {
		calls.Add(1)
		if k == "panics" {
			panic("bad upstream answer")
		}
		return "fetched " + k, nil
	})
	ctx := context.Background()
	l.Prime("a", "primed")
	if v, err := Load(ctx, l, "a"); v != "primed" || err != nil || calls.Load() != 0 {
		t.Fatalf("primed key: %q %v, %d fetches", v, err, calls.Load())
	}
	l.Prime("a", "again") // already known: kept
	if v, _ := Load(ctx, l, "a"); v != "primed" {
		t.Fatalf("re-primed key = %q", v)
	}
	l.Clear(ctx, "a")
	if v, _ := Load(ctx, l, "a"); v != "fetched a" || calls.Load() != 1 {
		t.Fatalf("cleared key = %q, %d fetches", v, calls.Load())
	}
	if _, err := Load(ctx, l, "panics"); err == nil || !strings.Contains(err.Error(), "bad upstream answer") {
		t.Fatalf("panicking fetch: %v", err)
	}
}

// A key already loaded in the request is answered without a goroutine.
func BenchmarkFanOutHit(b *testing.B) {
	ctx := context.Background()
	l := FanOut(func(_ context.Context, k int) (int, error) { return k, nil })
	_, _ = Load(ctx, l, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(ctx, l, 1); err != nil {
			b.Fatal(err)
		}
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
