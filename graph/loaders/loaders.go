// Package loaders holds the per-request dataloaders (graph-gophers/dataloader
// v7). A request gets fresh loaders, so within one query the same upstream
// call is made at most once, while the shared cache (graph/cache) spans
// requests. Loaders for upstreams without a batch endpoint fetch each key
// concurrently; loaders for batch endpoints make one call per batch.
package loaders

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"
)

// batchWait is how long a loader collects keys before dispatching. Sibling
// resolvers run concurrently, so a couple of milliseconds gathers a whole
// list's keys without adding visible latency (the library default is 16 ms).
const batchWait = 2 * time.Millisecond

// FanOut builds a loader for an upstream that answers one key per call: the
// loader deduplicates keys and fetches the distinct ones concurrently.
// Nothing is batched, so it is not a dataloader: a key already loaded in
// this request is answered from a map without a goroutine or a timer; a
// new key costs one goroutine with Load (so thunks taken in a loop run
// concurrently) and none with Get.
func FanOut[K comparable, V any](fetch func(context.Context, K) (V, error)) *Group[K, V] {
	return &Group[K, V]{fetch: fetch}
}

// Group is a FanOut loader: one request's calls, one per distinct key.
type Group[K comparable, V any] struct {
	fetch func(context.Context, K) (V, error)
	mu    sync.Mutex
	calls map[K]*call[V]
}

type call[V any] struct {
	done sync.WaitGroup // done once v and err are set
	v    V
	err  error
}

func (c *call[V]) wait() (V, error) {
	c.done.Wait()
	return c.v, c.err
}

// Load starts fetching k unless this request already has, and returns the
// function that waits for it.
func (g *Group[K, V]) Load(ctx context.Context, k K) func() (V, error) {
	c, fresh := g.lookup(k)
	if fresh {
		go g.run(ctx, k, c)
	}
	return c.wait
}

// Get is Load's value: a key new to this request is fetched on the
// caller's goroutine, which would only wait for another one (so a warm
// cache answers without a goroutine).
func (g *Group[K, V]) Get(ctx context.Context, k K) (V, error) {
	c, fresh := g.lookup(k)
	if fresh {
		g.run(ctx, k, c)
	}
	return c.wait()
}

// LoadMany loads keys concurrently; errs is nil when every key loaded, else
// it has an entry per key (nil where the key loaded).
func (g *Group[K, V]) LoadMany(ctx context.Context, keys []K) func() ([]V, []error) {
	calls := make([]*call[V], len(keys))
	for i, k := range keys {
		c, fresh := g.lookup(k)
		if fresh {
			go g.run(ctx, k, c)
		}
		calls[i] = c
	}
	return func() ([]V, []error) {
		vs := make([]V, len(keys))
		var errs []error
		for i, c := range calls {
			var err error
			if vs[i], err = c.wait(); err != nil {
				if errs == nil {
					errs = make([]error, len(keys))
				}
				errs[i] = err
			}
		}
		return vs, errs
	}
}

// Prime records v as k's value unless k is already loaded or loading: a
// parent that fetched its children's data hands it over this way.
func (g *Group[K, V]) Prime(k K, v V) {
	c, fresh := g.lookup(k)
	if fresh {
		c.v = v
		c.done.Done()
	}
}

// Clear forgets k, so the next Load fetches it again (after a write).
func (g *Group[K, V]) Clear(_ context.Context, k K) {
	g.mu.Lock()
	delete(g.calls, k)
	g.mu.Unlock()
}

// lookup returns k's call, creating it (fresh) when there is none.
func (g *Group[K, V]) lookup(k K) (*call[V], bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.calls[k]; ok {
		return c, false
	}
	if g.calls == nil {
		g.calls = map[K]*call[V]{}
	}
	c := new(call[V])
	c.done.Add(1)
	g.calls[k] = c
	return c, true
}

// run fetches k. A panic becomes k's error, as the executor does for a
// resolver: on a goroutine of its own it would end the process.
func (g *Group[K, V]) run(ctx context.Context, k K, c *call[V]) {
	defer c.done.Done()
	defer func() {
		if r := recover(); r != nil {
			c.err = fmt.Errorf("panic while loading: %v", r)
		}
	}()
	c.v, c.err = g.fetch(ctx, k)
}

// Batch builds a loader for an upstream with a batch endpoint: fetch gets
// every distinct key of the batch at once and returns a value per key; a key
// missing from the answer gets the zero value.
func Batch[K comparable, V any](max int, fetch func(context.Context, []K) (map[K]V, error)) *dataloader.Loader[K, V] {
	return dataloader.NewBatchedLoader(func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		out := make([]*dataloader.Result[V], len(keys))
		got, err := fetch(ctx, keys)
		for i, k := range keys {
			out[i] = &dataloader.Result[V]{Data: got[k], Error: err}
		}
		return out
	}, dataloader.WithWait[K, V](batchWait), dataloader.WithBatchCapacity[K, V](max))
}

// Scope holds one request's loaders of every source, each set built on
// first use: a request that reaches no source pays for none of them, and
// one context value serves all sources.
type Scope struct {
	mu   sync.Mutex
	sets []scoped
}

type scoped struct {
	owner any
	set   any
}

type scopeKey struct{}

// WithScope gives a request its Scope; a context that has one keeps it.
func WithScope(ctx context.Context) context.Context {
	if _, ok := ctx.Value(scopeKey{}).(*Scope); ok {
		return ctx
	}
	return context.WithValue(ctx, scopeKey{}, new(Scope))
}

// For returns owner's loaders in ctx's scope, building them with build the
// first time; without a scope, fresh ones each call.
func For[T any](ctx context.Context, owner any, build func() T) T {
	sc, ok := ctx.Value(scopeKey{}).(*Scope)
	if !ok {
		return build()
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for _, e := range sc.sets {
		if e.owner == owner {
			return e.set.(T)
		}
	}
	set := build()
	sc.sets = append(sc.sets, scoped{owner, set})
	return set
}

// Load is a convenience: load one key and wait for it.
func Load[K comparable, V any](ctx context.Context, l *Group[K, V], k K) (V, error) {
	return l.Load(ctx, k)()
}
