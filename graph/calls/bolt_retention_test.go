package calls

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// Retain bounds how long the embedded store keeps a call: the calls that
// started before the retention are deleted when it is set (a gateway
// restarting after a long stop) and on every write after.
func TestBoltRetention(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "calls.db")
	s, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	record := func(id string, ago time.Duration) {
		t.Helper()
		h := History{CallID: id, Direction: "in", Phone: "33612345678", User: "u", DurationSeconds: 3, StartedAt: time.Now().Add(-ago)}
		if _, err := s.RecordHistory(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	// No retention yet: every call is kept.
	record("ancient", 30*24*time.Hour)
	record("old", 2*time.Hour)
	want := func(ids ...string) {
		t.Helper()
		for _, f := range []Filter{{}, {Phone: "33612345678"}, {User: "u"}} {
			p, err := s.List(ctx, f)
			var got []string
			for _, c := range p.Calls {
				got = append(got, c.ID)
			}
			if err != nil || p.TotalCount != len(ids) || len(got) != len(ids) {
				t.Fatalf("List(%+v) = %v (total %d), %v; want %v", f, got, p.TotalCount, err, ids)
			}
			for i := range ids {
				if got[i] != ids[i] {
					t.Fatalf("List(%+v) = %v; want %v", f, got, ids)
				}
			}
		}
	}
	want("old", "ancient")

	// Set on a store holding older calls: they go at once.
	if err := s.Retain(7 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	want("old")
	if _, ok, err := s.Get(ctx, "ancient"); ok || err != nil {
		t.Errorf("Get(ancient) = %v, %v; want deleted", ok, err)
	}

	// A write trims what fell out of the retention since.
	if err := s.Retain(time.Hour); err != nil {
		t.Fatal(err)
	}
	record("recent", time.Minute)
	want("recent")
	later := time.Now().Add(2 * time.Hour)
	s.now = func() time.Time { return later }
	if _, ok, _ := s.Get(ctx, "recent"); !ok {
		t.Fatal("a call went before any write")
	}
	record("newest", -2*time.Hour) // started at "later"
	want("newest")
	if _, ok, _ := s.Get(ctx, "recent"); ok {
		t.Error("a call is still readable after a write past its retention")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
