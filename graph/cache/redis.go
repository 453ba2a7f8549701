package cache

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Store on a shared Redis server. Every key is prefixed, so
// several stores (or tests) can share one database. The client belongs to
// the caller: Close only stops this Store from being used.
type Redis struct {
	client redis.UniversalClient
	prefix string
	closed atomic.Bool
}

// NewRedis returns a Store writing keys as prefix+key.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix}
}

func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if r.closed.Load() {
		return nil, false, ErrClosed
	}
	b, err := r.client.Get(ctx, r.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

func (r *Redis) GetMany(ctx context.Context, keys []string) ([][]byte, error) {
	if r.closed.Load() {
		return nil, ErrClosed
	}
	if len(keys) == 0 {
		return nil, nil
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = r.prefix + k
	}
	vals, err := r.client.MGet(ctx, full...).Result()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(keys))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i] = []byte(s)
		}
	}
	return out, nil
}

func (r *Redis) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if r.closed.Load() {
		return ErrClosed
	}
	if ttl < 0 {
		ttl = 0
	}
	return r.client.Set(ctx, r.prefix+key, value, ttl).Err()
}

func (r *Redis) Delete(ctx context.Context, keys ...string) error {
	if r.closed.Load() {
		return ErrClosed
	}
	if len(keys) == 0 {
		return nil
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = r.prefix + k
	}
	return r.client.Del(ctx, full...).Err()
}

func (r *Redis) Incr(ctx context.Context, key string) (int64, error) {
	if r.closed.Load() {
		return 0, ErrClosed
	}
	return r.client.Incr(ctx, r.prefix+key).Result()
}

func (r *Redis) Ping(ctx context.Context) error {
	if r.closed.Load() {
		return ErrClosed
	}
	return r.client.Ping(ctx).Err()
}

func (r *Redis) Close() error {
	r.closed.Store(true)
	return nil
}
