package idempotency

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/graph/internal/redistest"
)

// runContract checks what every Store promises; open returns a fresh store.
func runContract(t *testing.T, open func(t *testing.T) Store) {
	ctx := context.Background()
	t.Run("claim, then found", func(t *testing.T) {
		s := open(t)
		if found, err := s.Claim(ctx, "k", Record{Fingerprint: "a"}, time.Hour); err != nil || found != nil {
			t.Fatalf("first claim: %+v %v", found, err)
		}
		found, err := s.Claim(ctx, "k", Record{Fingerprint: "b"}, time.Hour)
		if err != nil || found == nil || found.Fingerprint != "a" || found.Done {
			t.Fatalf("second claim: %+v %v", found, err)
		}
	})
	t.Run("put replaces, get reads, delete forgets", func(t *testing.T) {
		s := open(t)
		if _, err := s.Claim(ctx, "k", Record{Fingerprint: "a"}, time.Hour); err != nil {
			t.Fatal(err)
		}
		rec := Record{Fingerprint: "a", Done: true, Outcome: Failed, Error: &RecordedError{Message: "no", Extensions: map[string]any{"code": "UPSTREAM_REJECTED"}}, Meta: map[string]string{"user": "u"}}
		if err := s.Put(ctx, "k", rec, time.Hour); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, "k")
		if err != nil || got == nil || !got.Done || got.Outcome != Failed || got.Error.Extensions["code"] != "UPSTREAM_REJECTED" || got.Meta["user"] != "u" || time.Until(got.Expires) < 59*time.Minute {
			t.Fatalf("%+v %v", got, err)
		}
		if err := s.Delete(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Get(ctx, "k"); err != nil || got != nil {
			t.Fatalf("after delete: %+v %v", got, err)
		}
		if found, err := s.Claim(ctx, "k", Record{Fingerprint: "b"}, time.Hour); err != nil || found != nil {
			t.Fatalf("claim after delete: %+v %v", found, err)
		}
	})
	t.Run("records expire", func(t *testing.T) {
		s := open(t)
		if _, err := s.Claim(ctx, "k", Record{Fingerprint: "a"}, 50*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond)
		if got, err := s.Get(ctx, "k"); err != nil || got != nil {
			t.Fatalf("expired record read: %+v %v", got, err)
		}
		if found, err := s.Claim(ctx, "k", Record{Fingerprint: "b"}, time.Hour); err != nil || found != nil {
			t.Fatalf("expired record blocks a claim: %+v %v", found, err)
		}
	})
	t.Run("one of concurrent claims wins", func(t *testing.T) {
		s := open(t)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				found, err := s.Claim(ctx, "k", Record{Fingerprint: "a"}, time.Hour)
				if err != nil {
					t.Error(err)
				}
				if found == nil {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d claims won", wins.Load())
		}
	})
}

func TestBoltContract(t *testing.T) {
	runContract(t, func(t *testing.T) Store {
		s, err := OpenBolt(filepath.Join(t.TempDir(), "idem.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestRedisContract(t *testing.T) {
	runContract(t, func(t *testing.T) Store {
		rdb, prefix := redistest.Client(t)
		return NewRedis(rdb, prefix)
	})
}

func TestBoltSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idem.db")
	s, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(context.Background(), "k", Record{Fingerprint: "a", Done: true, Outcome: Succeeded, Answer: []byte(`{"x":1}`)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Get(context.Background(), "k")
	if err != nil || got == nil || string(got.Answer) != `{"x":1}` {
		t.Fatalf("%+v %v", got, err)
	}
}
