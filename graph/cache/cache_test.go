package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// counter is a fetch function returning "<prefix><n>" where n counts calls.
type counter struct {
	calls atomic.Int32
	err   error
}

func (c *counter) fn(ctx context.Context) ([]byte, error) {
	n := c.calls.Add(1)
	if c.err != nil {
		return nil, c.err
	}
	return fmt.Appendf(nil, "v%d", n), nil
}

func forEachStore(t *testing.T, test func(t *testing.T, s Store)) {
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			test(t, kind.new(t))
		})
	}
}

func fetch(t *testing.T, c *Cache, k Key, ttl time.Duration, fn func(context.Context) ([]byte, error)) string {
	t.Helper()
	v, err := c.Fetch(context.Background(), k, ttl, fn)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	return string(v)
}

func TestKeyLayout(t *testing.T) {
	s := NewMemory(10)
	c := New(s, Options{Version: "v7", Logger: quiet})
	k := Key{Source: "mmp", Operation: "vehicle", ID: "AB123CD"}
	fetch(t, c, k, time.Minute, (&counter{}).fn)
	if _, ok, _ := s.Get(context.Background(), "sb:v7:mmp:vehicle:0:AB123CD"); !ok {
		t.Fatal("entry not stored under sb:<version>:<source>:<operation>:<generation>:<key>")
	}
	if err := c.Invalidate(context.Background(), "mmp", "vehicle"); err != nil {
		t.Fatal(err)
	}
	fetch(t, c, k, time.Minute, (&counter{}).fn)
	if _, ok, _ := s.Get(context.Background(), "sb:v7:mmp:vehicle:1:AB123CD"); !ok {
		t.Fatal("generation not bumped in the key")
	}
	a := c.entryKey(Key{Source: "a:b", Operation: "c"}, 0)
	b := c.entryKey(Key{Source: "a", Operation: "b:c"}, 0)
	if a == b {
		t.Fatalf("namespaces collide: %s", a)
	}
}

func TestFetchHitMiss(t *testing.T) {
	forEachStore(t, func(t *testing.T, s Store) {
		c := New(s, Options{Logger: quiet})
		k := Key{Source: "t-" + t.Name(), Operation: "op", ID: "1"}
		hits0 := testutil.ToFloat64(requestsTotal.WithLabelValues(k.Source, "op", "hit"))
		misses0 := testutil.ToFloat64(requestsTotal.WithLabelValues(k.Source, "op", "miss"))
		var f counter
		if v := fetch(t, c, k, time.Minute, f.fn); v != "v1" {
			t.Fatalf("first fetch %q", v)
		}
		if v := fetch(t, c, k, time.Minute, f.fn); v != "v1" || f.calls.Load() != 1 {
			t.Fatalf("second fetch %q, calls %d", v, f.calls.Load())
		}
		hits := testutil.ToFloat64(requestsTotal.WithLabelValues(k.Source, "op", "hit")) - hits0
		misses := testutil.ToFloat64(requestsTotal.WithLabelValues(k.Source, "op", "miss")) - misses0
		if hits != 1 || misses != 1 {
			t.Fatalf("hits %v misses %v", hits, misses)
		}
		other := k
		other.ID = "2"
		if v := fetch(t, c, other, time.Minute, f.fn); v != "v2" {
			t.Fatalf("other id %q", v)
		}
	})
}

func TestSingleflight(t *testing.T) {
	forEachStore(t, func(t *testing.T, s Store) {
		gets := &countingStore{Store: s}
		c := New(gets, Options{Logger: quiet})
		k := Key{Source: "sf-" + t.Name(), Operation: "op", ID: "x"}
		release := make(chan struct{})
		var calls atomic.Int32
		fn := func(ctx context.Context) ([]byte, error) {
			calls.Add(1)
			<-release
			return []byte("shared"), nil
		}
		var wg sync.WaitGroup
		results := make(chan string, 10)
		for range 10 {
			wg.Go(func() {
				v, err := c.Fetch(context.Background(), k, time.Minute, fn)
				if err != nil {
					t.Error(err)
				}
				results <- string(v)
			})
		}
		// Release only once all ten have missed (two reads each: generation
		// and entry) and are about to join the flight.
		eventually(t, 5*time.Second, func() bool { return gets.n.Load() == 20 }, "10 misses")
		time.Sleep(20 * time.Millisecond)
		close(release)
		wg.Wait()
		close(results)
		for v := range results {
			if v != "shared" {
				t.Errorf("got %q", v)
			}
		}
		if n := calls.Load(); n != 1 {
			t.Fatalf("fn called %d times, want 1", n)
		}
	})
}

// countingStore counts reads, to tell when callers are past their lookup.
type countingStore struct {
	Store
	n atomic.Int32
}

func (s *countingStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, ok, err := s.Store.Get(ctx, key)
	s.n.Add(1)
	return v, ok, err
}

func TestFlightSurvivesCallerCancel(t *testing.T) {
	c := New(NewMemory(10), Options{Logger: quiet})
	k := Key{Source: "s", Operation: "op", ID: "x"}
	started, release := make(chan struct{}), make(chan struct{})
	var fnCtxErr atomic.Value
	fn := func(ctx context.Context) ([]byte, error) {
		close(started)
		<-release
		fnCtxErr.Store(fmt.Sprint(ctx.Err()))
		return []byte("ok"), nil
	}
	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() { _, err := c.Fetch(ctxA, k, time.Minute, fn); errA <- err }()
	<-started
	resB := make(chan string, 1)
	go func() { v, _ := c.Fetch(context.Background(), k, time.Minute, fn); resB <- string(v) }()
	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller got %v", err)
	}
	close(release)
	if v := <-resB; v != "ok" {
		t.Fatalf("other waiter got %q", v)
	}
	if e := fnCtxErr.Load(); e != "<nil>" {
		t.Fatalf("fn context was cancelled: %v", e)
	}
	if v := fetch(t, c, k, time.Minute, fn); v != "ok" {
		t.Fatalf("value not cached: %q", v)
	}
}

func TestErrorsNotCached(t *testing.T) {
	forEachStore(t, func(t *testing.T, s Store) {
		c := New(s, Options{Logger: quiet, Grace: time.Minute})
		k := Key{Source: "err", Operation: "op", ID: "x"}
		boom := errors.New("boom")
		f := counter{err: boom}
		for range 2 {
			if _, err := c.Fetch(context.Background(), k, time.Minute, f.fn); !errors.Is(err, boom) {
				t.Fatalf("err = %v", err)
			}
		}
		if f.calls.Load() != 2 {
			t.Fatalf("calls = %d: an error was cached", f.calls.Load())
		}
		f.err = nil
		if v := fetch(t, c, k, time.Minute, f.fn); v != "v3" {
			t.Fatalf("after recovery %q", v)
		}
	})
}

func TestPanicBecomesError(t *testing.T) {
	c := New(NewMemory(10), Options{Logger: quiet})
	_, err := c.Fetch(context.Background(), Key{Source: "s", Operation: "o"}, time.Minute,
		func(context.Context) ([]byte, error) { panic("kaboom") })
	if err == nil || !strings.Contains(err.Error(), "kaboom") {
		t.Fatalf("err = %v", err)
	}
}

func TestInvalidateAndDelete(t *testing.T) {
	forEachStore(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		c := New(s, Options{Logger: quiet})
		k1 := Key{Source: "inv", Operation: "op", ID: "1"}
		k2 := Key{Source: "inv", Operation: "op", ID: "2"}
		other := Key{Source: "inv", Operation: "other", ID: "1"}
		var f counter
		fetch(t, c, k1, time.Minute, f.fn)
		fetch(t, c, k2, time.Minute, f.fn)
		fetch(t, c, other, time.Minute, f.fn)
		if err := c.Invalidate(ctx, "inv", "op"); err != nil {
			t.Fatal(err)
		}
		fetch(t, c, k1, time.Minute, f.fn)
		fetch(t, c, k2, time.Minute, f.fn)
		fetch(t, c, other, time.Minute, f.fn)
		if n := f.calls.Load(); n != 5 {
			t.Fatalf("calls = %d, want 5 (both keys of the namespace refetched, other kept)", n)
		}
		// A second Cache on the same store (another replica) sees the invalidation.
		replica := New(s, Options{Logger: quiet})
		if err := replica.Invalidate(ctx, "inv", "op"); err != nil {
			t.Fatal(err)
		}
		fetch(t, c, k1, time.Minute, f.fn)
		if n := f.calls.Load(); n != 6 {
			t.Fatalf("replica invalidation not seen: calls = %d", n)
		}
		if err := c.Delete(ctx, k1); err != nil {
			t.Fatal(err)
		}
		fetch(t, c, k1, time.Minute, f.fn)
		if n := f.calls.Load(); n != 7 {
			t.Fatalf("Delete not effective: calls = %d", n)
		}
	})
}

func TestTTLExpiry(t *testing.T) {
	forEachStore(t, func(t *testing.T, s Store) {
		c := New(s, Options{Logger: quiet})
		k := Key{Source: "ttl", Operation: "op", ID: "1"}
		var f counter
		fetch(t, c, k, 100*time.Millisecond, f.fn)
		eventually(t, 3*time.Second, func() bool {
			return fetch(t, c, k, 100*time.Millisecond, f.fn) != "v1"
		}, "value refetched after TTL")
	})
}

func TestServeStale(t *testing.T) {
	forEachStore(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		now := time.Now()
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

		c := New(s, Options{Logger: quiet, Grace: time.Hour})
		c.now = clock
		k := Key{Source: "stale", Operation: "op", ID: "1"}
		var f counter
		fetch(t, c, k, time.Minute, f.fn)
		advance(2 * time.Minute) // past the soft TTL, within grace
		boom := errors.New("upstream down")
		v, stale, err := c.FetchStale(ctx, k, time.Minute, (&counter{err: boom}).fn)
		if err != nil || !stale || string(v) != "v1" {
			t.Fatalf("FetchStale = %q, %v, %v; want stale v1", v, stale, err)
		}
		if v, err := c.Fetch(ctx, k, time.Minute, (&counter{err: boom}).fn); err != nil || string(v) != "v1" {
			t.Fatalf("Fetch = %q, %v", v, err)
		}
		// A successful refresh replaces the stale value.
		v, stale, err = c.FetchStale(ctx, k, time.Minute, f.fn)
		if err != nil || stale || string(v) != "v2" {
			t.Fatalf("refresh = %q, %v, %v", v, stale, err)
		}

		noGrace := New(s, Options{Logger: quiet, Version: "nograce"})
		noGrace.now = clock
		fetch(t, noGrace, k, time.Minute, f.fn)
		advance(2 * time.Minute)
		if _, _, err := noGrace.FetchStale(ctx, k, time.Minute, (&counter{err: boom}).fn); !errors.Is(err, boom) {
			t.Fatalf("without grace: err = %v", err)
		}
	})
}

func TestGetJSON(t *testing.T) {
	type vehicle struct {
		Plate string `json:"plate"`
		Km    int    `json:"km"`
	}
	c := New(NewMemory(10), Options{Logger: quiet})
	k := Key{Source: "mmp", Operation: "vehicle", ID: "AB123CD"}
	calls := 0
	fn := func(context.Context) (vehicle, error) { calls++; return vehicle{"AB123CD", 42}, nil }
	for range 2 {
		v, err := GetJSON(context.Background(), c, k, time.Minute, fn)
		if err != nil || v != (vehicle{"AB123CD", 42}) {
			t.Fatalf("GetJSON = %+v, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("calls = %d", calls)
	}
	// A value of another shape under the same key is refetched, not an error.
	if _, err := c.Fetch(context.Background(), Key{Source: "mmp", Operation: "list", ID: "x"}, time.Minute,
		func(context.Context) ([]byte, error) { return []byte(`"not a list"`), nil }); err != nil {
		t.Fatal(err)
	}
	list, err := GetJSON(context.Background(), c, Key{Source: "mmp", Operation: "list", ID: "x"}, time.Minute,
		func(context.Context) ([]int, error) { return []int{1, 2}, nil })
	if err != nil || len(list) != 2 {
		t.Fatalf("reshaped value = %v, %v", list, err)
	}
}

// TestGetManyJSON: the fresh values of a namespace in one read, decoded
// once; a key missing, expired or of another shape is left to the caller.
func TestGetManyJSON(t *testing.T) {
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			c := New(kind.new(t), Options{Logger: quiet, Now: func() time.Time { return now }})
			key := func(id string) Key { return Key{Source: "shop", Operation: "lists", ID: id} }
			put := func(id, v string, ttl time.Duration) {
				if err := c.Put(ctx, key(id), ttl, []byte(v)); err != nil {
					t.Fatal(err)
				}
			}
			put("a", `[1,2]`, time.Minute)
			put("shape", `"not a list"`, time.Minute)
			put("old", `[3]`, time.Second)
			now = now.Add(2 * time.Second)
			ks := []Key{key("a"), key("missing"), key("shape"), key("old")}
			vals, ok := GetManyJSON[[]int](ctx, c, ks)
			if len(ok) != len(ks) || !ok[0] || ok[1] || ok[2] || ok[3] || len(vals[0]) != 2 || vals[0][1] != 2 {
				t.Fatalf("GetManyJSON = %v %v", vals, ok)
			}
			again, _ := GetManyJSON[[]int](ctx, c, ks[:1])
			if &again[0][0] != &vals[0][0] {
				t.Error("a second read decoded the value again")
			}
		})
	}
}

// TestRedisOutage runs its own redis-server, kills it mid-test and checks
// that queries keep being answered from fn.
func TestRedisOutage(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server binary not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	client := redis.NewClient(&redis.Options{
		Addr: fmt.Sprintf("127.0.0.1:%d", port), MaxRetries: -1,
		DialTimeout: 300 * time.Millisecond, ReadTimeout: 300 * time.Millisecond, WriteTimeout: 300 * time.Millisecond,
	})
	t.Cleanup(func() { _ = client.Close() })
	eventually(t, 5*time.Second, func() bool { return client.Ping(context.Background()).Err() == nil }, "redis-server starts")

	c := New(NewRedis(client, "outage:"), Options{Logger: quiet})
	k := Key{Source: "outage", Operation: "op", ID: "1"}
	var f counter
	fetch(t, c, k, time.Minute, f.fn)
	if v := fetch(t, c, k, time.Minute, f.fn); v != "v1" || f.calls.Load() != 1 {
		t.Fatalf("not cached before outage: %q", v)
	}

	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	killed = true
	before := testutil.ToFloat64(errorsTotal.WithLabelValues("get_generation"))
	for i := 2; i <= 4; i++ {
		if v := fetch(t, c, k, time.Minute, f.fn); v != fmt.Sprintf("v%d", i) {
			t.Fatalf("during outage got %q", v)
		}
	}
	if after := testutil.ToFloat64(errorsTotal.WithLabelValues("get_generation")); after-before != 3 {
		t.Fatalf("cache errors counted %v, want 3", after-before)
	}
	if err := c.Ping(context.Background()); err == nil {
		t.Fatal("Ping must report the outage")
	}
}

func TestCancelledCallerIsNotAnOutage(t *testing.T) {
	client, prefix := redisClient(t)
	c := New(NewRedis(client, prefix), Options{Logger: quiet})
	before := testutil.ToFloat64(errorsTotal.WithLabelValues("get_generation"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Fetch(ctx, Key{Source: "s", Operation: "o"}, time.Minute, (&counter{}).fn); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if testutil.ToFloat64(errorsTotal.WithLabelValues("get_generation")) != before {
		t.Fatal("a cancelled caller was counted as a store error")
	}
}

// TestGetJSONSharedRead: GetJSON reads an in-process store's bytes without
// a copy, so a warm hit is the memoized value; what Fetch hands a caller is
// still a copy, which the caller may change without corrupting the cache.
func TestGetJSONSharedRead(t *testing.T) {
	type vehicle struct {
		Plate string `json:"plate"`
	}
	ctx := context.Background()
	c := New(NewMemory(10), Options{Logger: quiet})
	k := Key{Source: "mmp", Operation: "vehicle", ID: "AB123CD"}
	fn := func(context.Context) (*vehicle, error) { return &vehicle{"AB123CD"}, nil }
	first, err := GetJSON(ctx, c, k, time.Minute, fn)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Fetch(ctx, k, time.Minute, func(context.Context) ([]byte, error) { return nil, errors.New("not cached") })
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = ' '
	}
	again, err := GetJSON(ctx, c, k, time.Minute, fn)
	if err != nil || again != first || again.Plate != "AB123CD" {
		t.Fatalf("warm hit = %+v (%p, first %p), %v", again, again, first, err)
	}
}
