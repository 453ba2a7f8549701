// Package loaders holds the per-request dataloaders (graph-gophers/dataloader
// v7). A request gets fresh loaders, so within one query the same upstream
// call is made at most once, while the shared cache (graph/cache) spans
// requests. Loaders for upstreams without a batch endpoint fetch each key
// concurrently; loaders for batch endpoints make one call per batch.
package loaders

import (
	"context"
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
func FanOut[K comparable, V any](fetch func(context.Context, K) (V, error)) *dataloader.Loader[K, V] {
	return dataloader.NewBatchedLoader(func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		out := make([]*dataloader.Result[V], len(keys))
		var wg sync.WaitGroup
		for i, k := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := fetch(ctx, k)
				out[i] = &dataloader.Result[V]{Data: v, Error: err}
			}()
		}
		wg.Wait()
		return out
	}, dataloader.WithWait[K, V](0)) // nothing to batch: dispatch at once
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

// Load is a convenience: load one key and wait for it.
func Load[K comparable, V any](ctx context.Context, l *dataloader.Loader[K, V], k K) (V, error) {
	return l.Load(ctx, k)()
}
