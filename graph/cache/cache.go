package cache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"golang.org/x/sync/singleflight"

	"switchboard/sources/upstream"
)

var (
	requestsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "switchboard_cache_requests_total",
		Help: "Cache lookups by source, operation and result (hit, miss, stale, revalidate, error); each lookup is counted once.",
	}, []string{"source", "operation", "result"})
	errorsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "switchboard_cache_errors_total",
		Help: "Cache store failures by store operation; the query is then served uncached.",
	}, []string{"op"})
)

// Key names one cached value. Source and Operation form the namespace that
// Invalidate bumps; ID identifies the value inside it (arguments, plate...).
type Key struct {
	Source, Operation, ID string
}

// Options configure a Cache.
type Options struct {
	// Version is the key version (e.g. "v1"); bump it when the cached shape
	// changes so old replicas and new ones never read each other's values.
	Version string
	// Logger receives store failures (rate-limited). Default slog.Default().
	Logger *slog.Logger
	// Grace is how long past its TTL a value is kept to be served when
	// refreshing it fails. Zero disables serve-stale.
	Grace time.Duration
	// FlightTimeout bounds one shared call of fn, which runs detached from
	// the callers' cancellation. Default 30s.
	FlightTimeout time.Duration
	// OnStale is told when Fetch serves a stale value, so the caller's
	// response can say its data is old.
	OnStale func(ctx context.Context, k Key)
	// Now is the clock deciding freshness; time.Now when nil.
	Now func() time.Time
}

// Cache is a read-through cache with request coalescing, namespace
// invalidation and fallback to uncached calls when the Store fails.
type Cache struct {
	store   Store
	version string
	log     *slog.Logger
	grace   time.Duration
	timeout time.Duration
	group   singleflight.Group
	now     func() time.Time
	onStale func(ctx context.Context, k Key)
	decoded decodedMemo
	spaces  namespaces

	logMu      sync.Mutex
	lastLog    time.Time
	suppressed int
}

const logEvery = 10 * time.Second

// New returns a Cache over store.
func New(store Store, opts Options) *Cache {
	c := &Cache{store: store, version: opts.Version, log: opts.Logger, grace: max(opts.Grace, 0),
		timeout: opts.FlightTimeout, now: opts.Now, onStale: opts.OnStale}
	if c.now == nil {
		c.now = time.Now
	}
	if c.version == "" {
		c.version = "v1"
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.timeout <= 0 {
		c.timeout = 30 * time.Second
	}
	return c
}

var keyEscaper = strings.NewReplacer("%", "%25", ":", "%3A")

func (c *Cache) namespace(source, operation string) string {
	return c.spaces.of(c.version, source, operation).name
}

// genKey has one segment fewer than any entry key, so the two never collide.
func (c *Cache) genKey(source, operation string) string {
	return c.spaces.of(c.version, source, operation).gen
}

// namespaces remembers each source and operation's key prefixes: a warm
// read builds only its entry key. Operations are a few dozen constants;
// maxNamespaces bounds the memo should one ever be made per call.
type namespaces struct {
	mu sync.RWMutex
	m  map[[2]string]namespaceKeys
}

type namespaceKeys struct{ name, gen string }

const maxNamespaces = 1024

func (n *namespaces) of(version, source, operation string) namespaceKeys {
	k := [2]string{source, operation}
	n.mu.RLock()
	keys, ok := n.m[k]
	n.mu.RUnlock()
	if ok {
		return keys
	}
	name := "sb:" + version + ":" + keyEscaper.Replace(source) + ":" + keyEscaper.Replace(operation)
	keys = namespaceKeys{name: name, gen: name + ":gen"}
	n.mu.Lock()
	if n.m == nil || len(n.m) >= maxNamespaces {
		n.m = map[[2]string]namespaceKeys{}
	}
	n.m[k] = keys
	n.mu.Unlock()
	return keys
}

// entryKey is sb:<version>:<source>:<operation>:<generation>:<id>; long IDs
// are hashed to keep keys small.
func (c *Cache) entryKey(k Key, gen int64) string {
	id := k.ID
	if len(id) > 128 {
		sum := sha256.Sum256([]byte(id))
		id = "h" + hex.EncodeToString(sum[:])
	}
	return c.namespace(k.Source, k.Operation) + ":" + strconv.FormatInt(gen, 10) + ":" + id
}

func (c *Cache) generation(ctx context.Context, k Key) (int64, error) {
	b, ok, err := c.read(ctx, c.genKey(k.Source, k.Operation), true)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("cache: corrupt generation %q", b)
	}
	return n, nil
}

// An entry is a 1-byte format tag, the soft expiry in Unix nanoseconds and the value.
const entryFormat = 1

func encodeEntry(soft time.Time, v []byte) []byte {
	b := make([]byte, 9, 9+len(v))
	b[0] = entryFormat
	binary.BigEndian.PutUint64(b[1:], uint64(soft.UnixNano()))
	return append(b, v...)
}

func decodeEntry(b []byte) (soft time.Time, v []byte, ok bool) {
	if len(b) < 9 || b[0] != entryFormat {
		return time.Time{}, nil, false
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(b[1:9]))), b[9:], true
}

// Fetch returns the cached value of k or computes it with fn and caches it
// for ttl. Concurrent misses of the same key share one call of fn. Errors of
// fn are returned and never cached. When the store fails, fn is called
// directly. If Grace > 0 and fn fails after the value's TTL, the stale value
// is returned without error (use FetchStale to know).
func (c *Cache) Fetch(ctx context.Context, k Key, ttl time.Duration, fn func(ctx context.Context) ([]byte, error)) ([]byte, error) {
	v, stale, err := c.fetch(ctx, k, ttl, fn, false, false)
	if stale && c.onStale != nil {
		c.onStale(ctx, k)
	}
	return v, err
}

// FetchStale is Fetch that also reports whether the value served is stale:
// past its TTL, within Grace, returned because fn failed.
func (c *Cache) FetchStale(ctx context.Context, k Key, ttl time.Duration, fn func(ctx context.Context) ([]byte, error)) ([]byte, bool, error) {
	return c.fetch(ctx, k, ttl, fn, false, false)
}

// FetchSWR is stale-while-revalidate, for read-mostly data: a value past
// its TTL (within Grace) is answered at once while one refresh runs in the
// background; only a missing value makes the caller wait.
func (c *Cache) FetchSWR(ctx context.Context, k Key, ttl time.Duration, fn func(ctx context.Context) ([]byte, error)) ([]byte, error) {
	v, _, err := c.fetch(ctx, k, ttl, fn, true, false)
	return v, err
}

// read gets key from the store. A reader that never modifies what it gets
// (shared) is handed an in-process store's own bytes, without a copy.
func (c *Cache) read(ctx context.Context, key string, shared bool) ([]byte, bool, error) {
	if m, ok := c.store.(*Memory); ok && shared {
		return m.view(key)
	}
	return c.store.Get(ctx, key)
}

// fetch serves Fetch, FetchSWR and GetJSON; shared: the caller never
// modifies the value it gets (see read).
func (c *Cache) fetch(ctx context.Context, k Key, ttl time.Duration, fn func(ctx context.Context) ([]byte, error), swr, shared bool) ([]byte, bool, error) {
	gen, err := c.generation(ctx, k)
	if err != nil {
		return c.uncached(ctx, k, "get_generation", err, fn)
	}
	key := c.entryKey(k, gen)
	raw, ok, err := c.read(ctx, key, shared)
	if err != nil {
		return c.uncached(ctx, k, "get", err, fn)
	}
	var stale []byte
	if ok {
		if soft, v, valid := decodeEntry(raw); valid {
			if c.now().Before(soft) {
				requestsTotal.WithLabelValues(k.Source, k.Operation, "hit").Inc()
				return v, false, nil
			}
			// The store drops entries after ttl+Grace on its own clock; the
			// check here keeps the same rule on ours.
			if c.grace > 0 && c.now().Before(soft.Add(c.grace)) {
				stale = v
			}
		}
	}

	ch := c.group.DoChan(key, func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
		v, err := safeCall(fctx, fn)
		if err != nil {
			return nil, err
		}
		if err := c.store.Set(fctx, key, encodeEntry(c.now().Add(ttl), v), ttl+c.grace); err != nil {
			c.storeError(k, "set", err)
		}
		return v, nil
	})
	if swr && stale != nil {
		requestsTotal.WithLabelValues(k.Source, k.Operation, "revalidate").Inc()
		return stale, false, nil
	}
	select {
	case <-ctx.Done():
		requestsTotal.WithLabelValues(k.Source, k.Operation, "miss").Inc()
		return nil, false, waitError{k, ctx.Err()}
	case res := <-ch:
		if res.Err != nil {
			if stale != nil {
				requestsTotal.WithLabelValues(k.Source, k.Operation, "stale").Inc()
				return stale, true, nil
			}
			requestsTotal.WithLabelValues(k.Source, k.Operation, "miss").Inc()
			return nil, false, res.Err
		}
		requestsTotal.WithLabelValues(k.Source, k.Operation, "miss").Inc()
		v := res.Val.([]byte)
		if res.Shared {
			v = append([]byte(nil), v...)
		}
		return v, false, nil
	}
}

func safeCall(ctx context.Context, fn func(context.Context) ([]byte, error)) (v []byte, err error) {
	// singleflight.DoChan re-panics in its own goroutine, which would kill
	// the process; a panicking fetch becomes an error instead.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cache: fetch function panicked: %v", r)
		}
	}()
	return fn(ctx)
}

func (c *Cache) uncached(ctx context.Context, k Key, op string, err error, fn func(context.Context) ([]byte, error)) ([]byte, bool, error) {
	if ctx.Err() != nil {
		// The caller left, or its deadline passed while the store was read:
		// not a store outage, and the error names what was waited for.
		return nil, false, waitError{k, ctx.Err()}
	}
	c.storeError(k, op, err)
	requestsTotal.WithLabelValues(k.Source, k.Operation, "error").Inc()
	v, err := fn(ctx)
	return v, false, err
}

// storeError counts every failure and logs at most once per logEvery, so a
// Redis outage does not flood the logs.
func (c *Cache) storeError(k Key, op string, err error) {
	errorsTotal.WithLabelValues(op).Inc()
	c.logMu.Lock()
	now := c.now()
	if now.Sub(c.lastLog) < logEvery {
		c.suppressed++
		c.logMu.Unlock()
		return
	}
	suppressed := c.suppressed
	c.lastLog, c.suppressed = now, 0
	c.logMu.Unlock()
	c.log.Warn("cache store failure, serving uncached", "op", op, "source", k.Source,
		"operation", k.Operation, "err", err, "suppressed", suppressed)
}

// Invalidate makes every cached value of (source, operation) stale at once,
// on every replica, by bumping the namespace generation.
func (c *Cache) Invalidate(ctx context.Context, source, operation string) error {
	if _, err := c.store.Incr(ctx, c.genKey(source, operation)); err != nil {
		c.storeError(Key{Source: source, Operation: operation}, "incr", err)
		return err
	}
	return nil
}

// Delete removes the current cached value of k.
func (c *Cache) Delete(ctx context.Context, k Key) error {
	gen, err := c.generation(ctx, k)
	if err == nil {
		err = c.store.Delete(ctx, c.entryKey(k, gen))
	}
	if err != nil {
		c.storeError(k, "delete", err)
	}
	return err
}

// Put stores v as the value of k for ttl, as a fetch would: for values
// learnt as a side effect of another call (a phone seen among a vehicle's
// customers). A store failure is reported and counted, like a fetch's.
func (c *Cache) Put(ctx context.Context, k Key, ttl time.Duration, v []byte) error {
	gen, err := c.generation(ctx, k)
	if err == nil {
		err = c.store.Set(ctx, c.entryKey(k, gen), encodeEntry(c.now().Add(ttl), v), ttl+c.grace)
	}
	if err != nil {
		c.storeError(k, "set", err)
	}
	return err
}

// Get returns the value of k while it is fresh; ok is false when there is
// none (or only a stale one).
func (c *Cache) Get(ctx context.Context, k Key) (v []byte, ok bool, err error) {
	gen, err := c.generation(ctx, k)
	if err != nil {
		return nil, false, err
	}
	raw, ok, err := c.store.Get(ctx, c.entryKey(k, gen))
	if err != nil || !ok {
		return nil, false, err
	}
	soft, v, valid := decodeEntry(raw)
	if !valid || !c.now().Before(soft) {
		return nil, false, nil
	}
	return v, true, nil
}

// GetMany is Get for several keys of one namespace (source, operation) in
// two store round trips; a key without a fresh value gets nil.
func (c *Cache) GetMany(ctx context.Context, ks []Key) ([][]byte, error) {
	if len(ks) == 0 {
		return nil, nil
	}
	gen, err := c.generation(ctx, ks[0])
	if err != nil {
		c.storeError(ks[0], "get_generation", err)
		return nil, err
	}
	keys := make([]string, len(ks))
	for i, k := range ks {
		if k.Source != ks[0].Source || k.Operation != ks[0].Operation {
			return nil, fmt.Errorf("cache: GetMany across namespaces (%s/%s, %s/%s)", ks[0].Source, ks[0].Operation, k.Source, k.Operation)
		}
		keys[i] = c.entryKey(k, gen)
	}
	raws, err := c.store.GetMany(ctx, keys)
	if err != nil {
		c.storeError(ks[0], "get_many", err)
		return nil, err
	}
	out := make([][]byte, len(ks))
	now := c.now()
	for i, raw := range raws {
		if soft, v, valid := decodeEntry(raw); raw != nil && valid && now.Before(soft) {
			out[i] = v
		}
	}
	return out, nil
}

// Ping checks the store, for readiness probes.
func (c *Cache) Ping(ctx context.Context) error { return c.store.Ping(ctx) }

// GetJSON is Fetch for a value JSON-encoded in the cache. A cached value
// that no longer decodes into T is treated as a miss. The last decode of each
// key is memoized (checked against the exact bytes the store returned), so a
// warm hit costs a store read and a comparison, not a JSON decode: values it
// returns are shared and must not be modified.
func GetJSON[T any](ctx context.Context, c *Cache, k Key, ttl time.Duration, fn func(ctx context.Context) (T, error)) (T, error) {
	return getJSON(ctx, c, k, ttl, fn, false)
}

// GetJSONSWR is GetJSON with stale-while-revalidate (see FetchSWR).
func GetJSONSWR[T any](ctx context.Context, c *Cache, k Key, ttl time.Duration, fn func(ctx context.Context) (T, error)) (T, error) {
	return getJSON(ctx, c, k, ttl, fn, true)
}

// GetManyJSON is GetMany decoded into T through GetJSON's memo, for a
// parent that primes its children's loaders in one read: ok[i] is false
// where ks[i] has no fresh value, or one that no longer decodes, and the
// caller fetches those the usual way. Values are shared, as GetJSON's.
func GetManyJSON[T any](ctx context.Context, c *Cache, ks []Key) (vals []T, ok []bool) {
	raws, err := c.GetMany(ctx, ks)
	if err != nil {
		return nil, make([]bool, len(ks))
	}
	vals, ok = make([]T, len(ks)), make([]bool, len(ks))
	hits := 0
	for i, b := range raws {
		if b == nil {
			continue
		}
		if v, found := c.decoded.get(ks[i], b); found {
			vals[i], ok[i] = v.(T)
		} else if v, err := decodeJSON[T](b); err == nil {
			c.decoded.put(ks[i], b, v)
			vals[i], ok[i] = v, true
		}
		if ok[i] {
			hits++
		}
	}
	if hits > 0 {
		requestsTotal.WithLabelValues(ks[0].Source, ks[0].Operation, "hit").Add(float64(hits))
	}
	return vals, ok
}

// getJSON takes swr rather than the fetch method: a method value is an
// allocation on every warm read.
func getJSON[T any](ctx context.Context, c *Cache, k Key, ttl time.Duration, fn func(ctx context.Context) (T, error), swr bool) (T, error) {
	fetch := func(ctx context.Context) ([]byte, error) {
		v, err := fn(ctx)
		if err != nil {
			return nil, err
		}
		return json.Marshal(v)
	}
	b, err := c.fetchShared(ctx, k, ttl, fetch, swr)
	if err != nil {
		var zero T
		return zero, err
	}
	if v, ok := c.decoded.get(k, b); ok {
		if t, ok := v.(T); ok {
			return t, nil
		}
	}
	out, err := decodeJSON[T](b)
	if err != nil {
		if derr := c.Delete(ctx, k); derr != nil {
			return out, err
		}
		if b, err = c.fetchShared(ctx, k, ttl, fetch, swr); err != nil {
			return out, err
		}
		return decodeJSON[T](b)
	}
	c.decoded.put(k, b, out)
	return out, nil
}

// decodeJSON is apart from getJSON so that only a decode, not every warm
// read, puts a T on the heap.
func decodeJSON[T any](b []byte) (T, error) {
	var out T
	err := json.Unmarshal(b, &out)
	return out, err
}

// fetchShared is Fetch (FetchSWR when swr) for getJSON, which only decodes
// or compares the bytes it gets: they are read shared (see read).
func (c *Cache) fetchShared(ctx context.Context, k Key, ttl time.Duration, fn func(ctx context.Context) ([]byte, error), swr bool) ([]byte, error) {
	v, stale, err := c.fetch(ctx, k, ttl, fn, swr, true)
	if stale && !swr && c.onStale != nil {
		c.onStale(ctx, k)
	}
	return v, err
}

// maxDecoded bounds the decoded memo; past it the memo starts over. A
// listing of 200 interfaces alone keeps ~200 entries warm.
const maxDecoded = 512

type decodedMemo struct {
	mu sync.Mutex
	m  map[Key]decodedEntry
}

type decodedEntry struct {
	raw []byte
	val any
}

func (d *decodedMemo) get(k Key, raw []byte) (any, bool) {
	d.mu.Lock()
	e, ok := d.m[k]
	d.mu.Unlock()
	if !ok || !sameBytes(e.raw, raw) {
		return nil, false
	}
	return e.val, true
}

func (d *decodedMemo) put(k Key, raw []byte, v any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil || len(d.m) >= maxDecoded {
		d.m = make(map[Key]decodedEntry)
	}
	d.m[k] = decodedEntry{raw: raw, val: v}
}

// waitError is a caller's deadline passing while it waited for a fetch: it
// names the source and operation waited for (errs reads it as an upstream
// error) and still matches context.DeadlineExceeded / Canceled.
type waitError struct {
	k   Key
	err error
}

func (e waitError) Error() string {
	return e.k.Source + " (" + e.k.Operation + "): " + e.UpstreamMessage()
}
func (e waitError) Unwrap() error             { return e.err }
func (e waitError) UpstreamSource() string    { return e.k.Source }
func (e waitError) UpstreamOperation() string { return e.k.Operation }
func (e waitError) UpstreamStatus() int       { return 0 }
func (e waitError) UpstreamKind() upstream.Kind {
	if errors.Is(e.err, context.DeadlineExceeded) {
		return upstream.KindTimeout
	}
	return upstream.KindUnavailable
}
func (e waitError) UpstreamMessage() string {
	if errors.Is(e.err, context.DeadlineExceeded) {
		return "timed out (the request's deadline passed before the upstream answered)"
	}
	return "request cancelled before the upstream answered"
}

// sameBytes is bytes.Equal, at once when a and b are the same bytes (an
// in-process store hands out its own, see Cache.read).
func sameBytes(a, b []byte) bool {
	if len(a) == len(b) && len(a) > 0 && &a[0] == &b[0] {
		return true
	}
	return bytes.Equal(a, b)
}
