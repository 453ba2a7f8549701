package idempotency

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Store replicas share: one JSON string per key, expiring
// with the record. A claim is SET NX, so exactly one replica wins it.
type Redis struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedis keeps records under prefix (e.g. "switchboard:idem:"). The
// client stays the caller's.
func NewRedis(rdb redis.UniversalClient, prefix string) *Redis {
	return &Redis{rdb: rdb, prefix: prefix}
}

// Close implements Store; the client is left open.
func (s *Redis) Close() error { return nil }

// Claim implements Store.
func (s *Redis) Claim(ctx context.Context, key string, rec Record, ttl time.Duration) (*Record, error) {
	rec.Expires = time.Now().Add(ttl)
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	// The record found may expire between the SET and the GET: try again.
	for range 3 {
		ok, err := s.rdb.SetNX(ctx, s.prefix+key, b, ttl).Result()
		if err != nil {
			return nil, err
		}
		if ok {
			return nil, nil
		}
		found, err := s.Get(ctx, key)
		if err != nil || found != nil {
			return found, err
		}
	}
	return nil, errors.New("idempotency: record keeps expiring under a claim")
}

// Put implements Store.
func (s *Redis) Put(ctx context.Context, key string, rec Record, ttl time.Duration) error {
	rec.Expires = time.Now().Add(ttl)
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return s.rdb.Set(ctx, s.prefix+key, b, ttl).Err()
}

// Delete implements Store.
func (s *Redis) Delete(ctx context.Context, key string) error {
	return s.rdb.Del(ctx, s.prefix+key).Err()
}

// Get implements Store.
func (s *Redis) Get(ctx context.Context, key string) (*Record, error) {
	b, err := s.rdb.Get(ctx, s.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec Record
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, err
	}
	return &rec, nil
}
