package cache

import (
	"context"
	"errors"
	"time"
)

// ErrClosed is returned by a Store used after Close.
var ErrClosed = errors.New("cache: store closed")

// Store is a byte-oriented key/value store with expiry. Implementations are
// safe for concurrent use. A ttl <= 0 in Set means "no expiry". Incr treats a
// missing key as 0 and returns an error if the stored value is not a decimal
// integer; it creates keys without expiry and keeps an existing expiry.
type Store interface {
	Get(ctx context.Context, key string) (value []byte, ok bool, err error)
	// GetMany is Get for several keys in one round trip; a missing key's
	// value is nil.
	GetMany(ctx context.Context, keys []string) ([][]byte, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	Delete(ctx context.Context, keys ...string) error
	Incr(ctx context.Context, key string) (int64, error)
	Ping(ctx context.Context) error
	Close() error
}
