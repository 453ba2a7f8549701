// Package respcache is the hint a resolver gives the gateway's response
// cache (graph/gateway): that the answer it is part of must not be kept,
// since its data changes before the TTL without a mutation. It exists so
// that resolvers need not import the HTTP layer.
package respcache

import (
	"context"
	"sync/atomic"
)

type key struct{}

// WithHint gives a request the flag Skip sets; the caller holds it with
// the rest of its per-request state, in one allocation.
func WithHint(ctx context.Context, flag *atomic.Bool) context.Context {
	return context.WithValue(ctx, key{}, flag)
}

// Skip keeps the answer of the current request out of the response cache.
func Skip(ctx context.Context) {
	if f, ok := ctx.Value(key{}).(*atomic.Bool); ok {
		f.Store(true)
	}
}

// Skipped says whether Skip was called for the request.
func Skipped(ctx context.Context) bool {
	f, ok := ctx.Value(key{}).(*atomic.Bool)
	return ok && f.Load()
}
