package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestStoreContract(t *testing.T) {
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			runStoreContract(t, kind.new)
		})
	}
}

func runStoreContract(t *testing.T, newStore func(*testing.T) Store) {
	ctx := context.Background()
	get := func(t *testing.T, s Store, key string) (string, bool) {
		t.Helper()
		v, ok, err := s.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get(%q): %v", key, err)
		}
		return string(v), ok
	}

	t.Run("get missing", func(t *testing.T) {
		s := newStore(t)
		if _, ok := get(t, s, "nope"); ok {
			t.Fatal("missing key reported present")
		}
	})
	t.Run("get many", func(t *testing.T) {
		s := newStore(t)
		for _, k := range []string{"a", "c"} {
			if err := s.Set(ctx, k, []byte("v"+k), time.Minute); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.GetMany(ctx, []string{"a", "b", "c"})
		if err != nil || len(got) != 3 || string(got[0]) != "va" || got[1] != nil || string(got[2]) != "vc" {
			t.Fatalf("GetMany: %q %v", got, err)
		}
		if got, err := s.GetMany(ctx, nil); err != nil || len(got) != 0 {
			t.Fatalf("GetMany(nil): %q %v", got, err)
		}
	})
	t.Run("set get overwrite", func(t *testing.T) {
		s := newStore(t)
		in := []byte("one")
		if err := s.Set(ctx, "k", in, time.Minute); err != nil {
			t.Fatal(err)
		}
		in[0] = 'X' // the store must not alias the caller's slice
		if v, ok := get(t, s, "k"); !ok || v != "one" {
			t.Fatalf("got %q %v", v, ok)
		}
		if err := s.Set(ctx, "k", []byte("two"), 0); err != nil {
			t.Fatal(err)
		}
		if v, _ := get(t, s, "k"); v != "two" {
			t.Fatalf("overwrite: got %q", v)
		}
		if err := s.Set(ctx, "empty", nil, time.Minute); err != nil {
			t.Fatal(err)
		}
		if v, ok := get(t, s, "empty"); !ok || v != "" {
			t.Fatalf("empty value: %q %v", v, ok)
		}
	})
	t.Run("delete", func(t *testing.T) {
		s := newStore(t)
		for _, k := range []string{"a", "b", "c"} {
			if err := s.Set(ctx, k, []byte(k), time.Minute); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Delete(ctx, "a", "b", "missing"); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx); err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]bool{"a": false, "b": false, "c": true} {
			if _, ok := get(t, s, k); ok != want {
				t.Errorf("%s present=%v, want %v", k, ok, want)
			}
		}
	})
	t.Run("ttl", func(t *testing.T) {
		s := newStore(t)
		if err := s.Set(ctx, "short", []byte("x"), 100*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if err := s.Set(ctx, "forever", []byte("y"), 0); err != nil {
			t.Fatal(err)
		}
		eventually(t, 3*time.Second, func() bool { _, ok := get(t, s, "short"); return !ok }, "short TTL expires")
		if _, ok := get(t, s, "forever"); !ok {
			t.Fatal("ttl 0 must not expire")
		}
	})
	t.Run("incr", func(t *testing.T) {
		s := newStore(t)
		for want := int64(1); want <= 3; want++ {
			n, err := s.Incr(ctx, "gen")
			if err != nil || n != want {
				t.Fatalf("Incr = %d, %v; want %d", n, err, want)
			}
		}
		if v, _ := get(t, s, "gen"); v != "3" {
			t.Fatalf("Get after Incr = %q", v)
		}
		if err := s.Set(ctx, "text", []byte("abc"), time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Incr(ctx, "text"); err == nil {
			t.Fatal("Incr of a non-integer must fail")
		}
		if err := s.Set(ctx, "ttl", []byte("41"), 100*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Incr(ctx, "ttl"); err != nil || n != 42 {
			t.Fatalf("Incr = %d, %v", n, err)
		}
		eventually(t, 3*time.Second, func() bool { _, ok := get(t, s, "ttl"); return !ok }, "Incr keeps the TTL")
	})
	t.Run("concurrent incr", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				for range 20 {
					if _, err := s.Incr(ctx, "n"); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		if v, _ := get(t, s, "n"); v != "200" {
			t.Fatalf("n = %q, want 200", v)
		}
	})
	t.Run("ping close", func(t *testing.T) {
		s := newStore(t)
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Get(ctx, "k"); !errors.Is(err, ErrClosed) {
			t.Fatalf("Get after Close: %v", err)
		}
		if err := s.Set(ctx, "k", nil, 0); !errors.Is(err, ErrClosed) {
			t.Fatalf("Set after Close: %v", err)
		}
	})
}

func TestMemoryLRUBound(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(3)
	for i := range 3 {
		_ = m.Set(ctx, fmt.Sprint(i), []byte("v"), time.Minute)
	}
	_, _, _ = m.Get(ctx, "0") // 1 is now the least recently used
	_ = m.Set(ctx, "3", []byte("v"), time.Minute)
	if m.Len() != 3 {
		t.Fatalf("Len = %d", m.Len())
	}
	for k, want := range map[string]bool{"0": true, "1": false, "2": true, "3": true} {
		if _, ok, _ := m.Get(ctx, k); ok != want {
			t.Errorf("%s present=%v, want %v", k, ok, want)
		}
	}
}

func TestMemoryEvictsExpiredFirst(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(2)
	now := time.Now()
	m.now = func() time.Time { return now }
	_ = m.Set(ctx, "old", []byte("v"), time.Second)
	_ = m.Set(ctx, "live", []byte("v"), time.Hour)
	_, _, _ = m.Get(ctx, "old") // most recently used, but about to expire
	now = now.Add(2 * time.Second)
	_ = m.Set(ctx, "new", []byte("v"), time.Hour)
	if _, ok, _ := m.Get(ctx, "live"); !ok {
		t.Fatal("a live entry was evicted while an expired one could be swept")
	}
}
