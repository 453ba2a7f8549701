package cache

import (
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"switchboard/graph/internal/redistest"
)

// redisClient connects to the test Redis with a prefix unique to t.
func redisClient(t *testing.T) (*redis.Client, string) { return redistest.Client(t) }

func newMemoryStore(*testing.T) Store { return NewMemory(1000) }

func newRedisStore(t *testing.T) Store {
	client, prefix := redisClient(t)
	return NewRedis(client, prefix)
}

var storeKinds = []struct {
	name string
	new  func(*testing.T) Store
}{{"memory", newMemoryStore}, {"redis", newRedisStore}}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition never held: %s", msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
