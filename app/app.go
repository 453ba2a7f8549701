// Package app is the composition root: from the configuration it builds
// every store, source client and service (one row per source, sources.go),
// the resolvers and the HTTP handler, and owns their lifecycle (Start,
// Stop, Close). server.go keeps the command line and the signals.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/redis/go-redis/v9"

	"switchboard/graph/auth"
	"switchboard/graph/cache"
	"switchboard/graph/folders"
	"switchboard/graph/gateway"
	"switchboard/graph/idempotency"
	"switchboard/graph/notifications"
	"switchboard/graph/pubsub"
	"switchboard/graph/redisconn"
	"switchboard/graph/sandbox"
	"switchboard/graph/shops"
	"switchboard/graph/telephony"
	"switchboard/graph/vehicles"
	"switchboard/sources/upstream"
)

// persistedQueryTTL is how long an APQ registration lasts in Redis; a
// client whose query expired just sends it again.
const persistedQueryTTL = 24 * time.Hour

// staleGrace is how long a value past its TTL is kept to be served when its
// upstream fails.
const staleGrace = 30 * time.Minute

// App is one running gateway: its stores, its services (nil when that
// source is not configured) and its lifecycle.
type App struct {
	// Sandboxed names the sources served by their in-process fakes.
	Sandboxed map[string]bool
	// Configured names the sources that have a client.
	Configured map[string]bool
	// Webhook is the PBX endpoint, nil when Gravitel is not configured.
	Webhook http.Handler
	// Keys authenticates clients; DemoKey is the sandbox key to print.
	Keys    *auth.Keyring
	DemoKey string
	// Cache is shared by every source; Bus fans subscription events out
	// (through Redis across replicas when REDIS_URL is set).
	Cache *cache.Cache
	Bus   pubsub.Bus
	// RateLimiter bounds requests per API key (nil when
	// SWITCHBOARD_RATE_LIMIT=0) and PersistedQueries is the APQ store: in
	// Redis when REDIS_URL is set, so replicas share them.
	RateLimiter      gateway.RateLimiter
	PersistedQueries graphql.Cache[string]
	// TrustedDocuments, when SWITCHBOARD_TRUSTED_DOCUMENTS is set, are the
	// only operations that run.
	TrustedDocuments *gateway.TrustedDocuments

	// One service per source; nil when that source is not configured.
	Vehicles      *vehicles.Service
	Shops         *shops.Service
	Notifications *notifications.Service
	Folders       *folders.Service
	// Telephony is Gravitel: the call log, live events, makeCall.
	Telephony *telephony.Service
	// Idempotency records mutations run under a key (Redis or a file in
	// the data directory).
	Idempotency *idempotency.Service
	// Fakes are the sandbox's in-process upstreams (nil outside sandbox).
	Fakes *sandbox.Fakes

	redis redis.UniversalClient
	// What the sources' rows add: check-config probes and notes, /readyz
	// probes and warnings, per-request loaders, start-up work.
	checks   map[string]func(context.Context) error
	notes    map[string]func() string
	ready    map[string]func(context.Context) error
	warnings []func(map[string]string)
	loaders  []func(context.Context) context.Context
	starts   []func(context.Context)
	// stopping is done once Stop (or Close) was called.
	stopping context.Context
	stop     context.CancelFunc

	cfg     *Config
	log     *slog.Logger
	closers []func() error
}

// New builds the gateway from its configuration; in sandbox mode it first
// starts the fakes of every source left unconfigured. It sets the sources'
// timeout and breaker policy, which is process-wide.
func New(ctx context.Context, cfg *Config, log *slog.Logger) (*App, error) {
	upstream.Configure(cfg.Upstream)
	g := &App{Sandboxed: map[string]bool{}, Configured: map[string]bool{}, cfg: cfg, log: log,
		checks: map[string]func(context.Context) error{}, notes: map[string]func() string{}, ready: map[string]func(context.Context) error{}}
	g.stopping, g.stop = context.WithCancel(context.Background())
	switch {
	case cfg.APIKeysFile != "":
		keys, err := auth.Load(cfg.APIKeysFile)
		if err != nil {
			return nil, err
		}
		g.Keys = keys
	case cfg.Sandbox:
		g.Keys, g.DemoKey = auth.Demo()
	default:
		return nil, errors.New("SWITCHBOARD_API_KEYS_FILE is required outside sandbox mode")
	}
	if cfg.TrustedDocumentsFile != "" {
		docs, err := gateway.LoadTrustedDocuments(cfg.TrustedDocumentsFile)
		if err != nil {
			return nil, err
		}
		g.TrustedDocuments = docs
	}
	if p := redisconn.KeyPrefix(cfg.RedisURL, cfg.RedisPrefix); p != cfg.RedisPrefix {
		c := *cfg
		c.RedisPrefix = p
		cfg = &c
	}
	if err := g.openShared(cfg); err != nil {
		g.Close()
		return nil, err
	}
	if err := g.openIdempotency(cfg); err != nil {
		g.Close()
		return nil, err
	}
	if err := g.openSources(cfg); err != nil {
		g.Close()
		return nil, err
	}
	return g, nil
}

func (g *App) cacheOptions() cache.Options {
	return cache.Options{Logger: g.log, Grace: staleGrace, OnStale: func(ctx context.Context, k cache.Key) {
		gateway.MarkStale(ctx, k.Source, k.Operation)
	}}
}

// openShared opens the cache and the event bus: in memory, or in Redis when
// REDIS_URL is set so that replicas share them.
func (g *App) openShared(cfg *Config) error {
	if cfg.RedisURL == "" {
		g.Cache = cache.New(cache.NewMemory(50_000), g.cacheOptions())
		bus := pubsub.NewMemory()
		g.Bus = bus
		g.closers = append(g.closers, bus.Close)
		g.PersistedQueries = lru.New[string](1000)
		if cfg.RateLimit > 0 {
			g.RateLimiter = gateway.NewMemoryRateLimiter(cfg.RateLimit, cfg.RateBurst)
		}
		return nil
	}
	rdb, err := redisconn.Open(cfg.RedisURL)
	if err != nil {
		return err
	}
	redis.SetLogger(redisLog{g.log})
	g.redis = rdb
	g.closers = append(g.closers, g.redis.Close)
	g.Cache = cache.New(cache.NewRedis(g.redis, cfg.RedisPrefix), g.cacheOptions())
	bus := pubsub.NewRedis(g.redis, cfg.RedisPrefix+"events:")
	g.Bus = bus
	g.closers = append(g.closers, bus.Close)
	g.PersistedQueries = gateway.NewRedisQueryCache(g.redis, cfg.RedisPrefix+"apq:", persistedQueryTTL, g.log)
	if cfg.RateLimit > 0 {
		g.RateLimiter = gateway.NewRedisRateLimiter(g.redis, cfg.RedisPrefix, cfg.RateLimit, cfg.RateBurst)
	}
	return nil
}

// CheckSources reaches every configured source's authentication (a token
// fetch, a login or a minimal query), concurrently; nil means it answered.
func (g *App) CheckSources(ctx context.Context) map[string]error {
	out := make(map[string]error, len(g.checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range g.checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := check(ctx)
			mu.Lock()
			out[name] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// ReadyChecks are the /readyz probes.
func (g *App) ReadyChecks() map[string]func(context.Context) error {
	checks := map[string]func(context.Context) error{
		"config": func(context.Context) error { return nil },
		"cache":  g.Cache.Ping,
	}
	for name, check := range g.ready {
		checks[name] = check
	}
	return checks
}

// CheckNote says what a source's check found beyond pass or fail (Clavus:
// what was adapted to its live schema), "" when nothing.
func (g *App) CheckNote(source string) string {
	if note := g.notes[source]; note != nil {
		return note()
	}
	return ""
}

// ReadyWarnings are the /readyz warnings: states worth a look that do not
// make the replica unready (another replica is no better off).
func (g *App) ReadyWarnings() map[string]string {
	w := map[string]string{}
	for _, warn := range g.warnings {
		warn(w)
	}
	return w
}

// Stopping is done once the gateway is stopping: subscriptions end.
func (g *App) Stopping() context.Context { return g.stopping }

// Stop ends every subscription (with "complete"), first step of a shutdown.
func (g *App) Stop() { g.stop() }

// Close ends every subscription, then releases stores, clients and sandbox
// fakes, last opened first.
func (g *App) Close() {
	g.stop()
	for i := len(g.closers) - 1; i >= 0; i-- {
		if err := g.closers[i](); err != nil {
			g.log.Warn("close", "err", err)
		}
	}
}

// redisLog sends go-redis's own messages (a line per failed dial while Redis
// is down) to debug level: the cache already reports outages, rate-limited.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
}
