// Package cache is the gateway's read-through cache for upstream answers.
//
// # Layers
//
// A Store is a plain byte store with TTLs and an atomic counter: Memory
// (in-process, strict LRU bounded by entry count, expired entries removed
// when read or found at the cold end during insertions, no background
// goroutine) for sandbox mode and single replicas, and Redis (go-redis, every
// key under a caller-chosen prefix) when REDIS_URL is set and replicas share
// the cache. Both pass the same contract tests, the Redis one against a real
// server.
//
// Cache sits on a Store. Keys are sb:<version>:<source>:<operation>:<generation>:<id>;
// ':' and '%' in source and operation are percent-escaped so namespaces never
// collide, and IDs longer than 128 bytes are replaced by their SHA-256.
// Bumping Options.Version orphans every old entry (they expire on their own).
//
// # Invalidation
//
// Each (source, operation) namespace has a generation counter stored at
// sb:<version>:<source>:<operation>:gen (no TTL). Invalidate increments it, so
// every key of the namespace becomes unreachable at once on every replica.
// The generation is read from the Store on every Fetch (one extra round trip)
// rather than cached locally: a local copy would let a replica serve data
// another replica has just invalidated. Memory's strict LRU keeps this safe
// under eviction: an entry of an old generation was last touched before the
// Incr that superseded it, so it is evicted before the counter. With Redis,
// use a volatile-* or noeviction maxmemory policy so counters (no TTL) are
// never evicted.
//
// # Fetch
//
// A hit returns the stored value. Concurrent misses of one key share a single
// call of fn (singleflight). That call runs on context.WithoutCancel of the
// first caller's context, bounded by Options.FlightTimeout (default 30s), so a
// caller that gives up does not fail the others; each waiter returns on its
// own ctx.Done(). A panic in fn becomes an error. Errors are never cached.
// Shared results are copied per waiter, so callers may keep the slice.
//
// Entries carry their soft expiry (now+ttl) in a 9-byte header and are stored
// with a hard TTL of ttl+Grace. Past the soft expiry fn is called again; if it
// fails and Grace > 0, the old value is served: FetchStale reports stale=true,
// Fetch returns it without error.
//
// # Outages
//
// A Store failure never fails a query: Fetch calls fn directly (uncached),
// counts the failure in switchboard_cache_errors_total{op} (op is
// get_generation, get, set, incr or delete) and logs it at most once per 10s
// with the number of suppressed repeats. Invalidate and Delete return the
// error, since the caller asked for a write. Lookups are counted in
// switchboard_cache_requests_total{source,operation,result}, each lookup once,
// so hit / total is the hit ratio: hit (fresh value), miss (fn called and
// waited for), stale (old value served within grace after fn failed),
// revalidate (old value served at once by FetchSWR while fn refreshes it) or
// error (store failure, served uncached).
package cache
