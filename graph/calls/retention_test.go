package calls

import (
	"context"
	"testing"
	"time"
)

// Retain bounds how long Redis keeps a call: its key expires, and a write
// drops from the indexes the calls that started before the retention.
func TestRedisRetention(t *testing.T) {
	rdb := redisClient(t)
	prefix := testPrefix(t, rdb)
	s := NewRedis(rdb, prefix).Retain(time.Hour)
	ctx := context.Background()
	old := History{CallID: "old", Direction: "in", Phone: "33612345678", User: "u", DurationSeconds: 3, StartedAt: time.Now().Add(-2 * time.Hour)}
	if _, err := s.RecordHistory(ctx, old); err != nil {
		t.Fatal(err)
	}
	recent := History{CallID: "recent", Direction: "in", Phone: "33612345678", User: "u", DurationSeconds: 3, StartedAt: time.Now().Add(-time.Minute)}
	if _, err := s.RecordHistory(ctx, recent); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Filter{{}, {Phone: "33612345678"}, {User: "u"}} {
		p, err := s.List(ctx, f)
		if err != nil || len(p.Calls) != 1 || p.Calls[0].ID != "recent" {
			t.Errorf("List(%+v) = %+v, %v; want the recent call only", f, p.Calls, err)
		}
	}
	ttl, err := rdb.TTL(ctx, prefix+"call:recent").Result()
	if err != nil || ttl <= 0 || ttl > time.Hour {
		t.Errorf("TTL of a call key = %v, %v; want at most the retention", ttl, err)
	}
}
