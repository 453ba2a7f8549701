package cache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisClient connects to REDIS_URL (default local) and returns a prefix
// unique to this test run; keys under it are removed at cleanup.
func redisClient(t *testing.T) (*redis.Client, string) {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	client := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		t.Fatalf("redis at %s unreachable: %v", url, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "test:" + t.Name() + ":" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
		_ = client.Close()
	})
	return client, prefix
}

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
