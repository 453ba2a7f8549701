package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"switchboard/graph/auth"
	"switchboard/graph/errs"
)

// rateLimitedTotal is labelled by the key's name from the keys file (never
// its secret) only when the operator asks (SWITCHBOARD_METRICS_KEY_NAMES):
// /metrics may be read by more people than the keys file.
var rateLimitedTotal = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "switchboard_rate_limited_total",
	Help: "GraphQL requests refused with RATE_LIMITED, by API key name (empty unless key names are enabled).",
}, []string{"key"})

// RateLimiter is a token bucket per API key name.
type RateLimiter interface {
	// Allow takes one token for key; when none is left it returns false and
	// how long until one is.
	Allow(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
}

// MemoryRateLimiter keeps one bucket per key in this process. Keys come from
// the keys file, so the map stays as small as that file.
type MemoryRateLimiter struct {
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewMemoryRateLimiter allows perSecond requests per key, in bursts of burst.
func NewMemoryRateLimiter(perSecond, burst int) *MemoryRateLimiter {
	return &MemoryRateLimiter{limit: rate.Limit(perSecond), burst: burst, buckets: map[string]*rate.Limiter{}}
}

// Allow implements RateLimiter.
func (m *MemoryRateLimiter) Allow(_ context.Context, key string) (bool, time.Duration, error) {
	m.mu.Lock()
	b := m.buckets[key]
	if b == nil {
		b = rate.NewLimiter(m.limit, m.burst)
		m.buckets[key] = b
	}
	m.mu.Unlock()
	r := b.Reserve()
	if d := r.Delay(); d > 0 {
		// Give the token back: a refused request must not eat into the
		// next second's allowance.
		r.Cancel()
		return false, d, nil
	}
	return true, 0, nil
}

// RedisRateLimiter shares each key's bucket between replicas (GCRA in a Lua
// script, go-redis/redis_rate).
type RedisRateLimiter struct {
	limiter *redis_rate.Limiter
	limit   redis_rate.Limit
	prefix  string
}

// NewRedisRateLimiter allows perSecond requests per key, in bursts of burst,
// over buckets stored under prefix.
func NewRedisRateLimiter(rdb redis.UniversalClient, prefix string, perSecond, burst int) *RedisRateLimiter {
	return &RedisRateLimiter{
		limiter: redis_rate.NewLimiter(rdb),
		limit:   redis_rate.Limit{Rate: perSecond, Burst: burst, Period: time.Second},
		prefix:  prefix,
	}
}

// Allow implements RateLimiter.
func (l *RedisRateLimiter) Allow(ctx context.Context, key string) (bool, time.Duration, error) {
	res, err := l.limiter.Allow(ctx, l.prefix+key, l.limit)
	if err != nil {
		return false, 0, err
	}
	if res.Allowed == 0 {
		return false, res.RetryAfter, nil
	}
	return true, 0, nil
}

// rateLimit refuses a client over its key's allowance with HTTP 429,
// Retry-After and RATE_LIMITED. Requests without a principal pass: WebSocket
// upgrades (the key comes later, in connection_init) and CORS preflights.
//
// When the limiter's store fails (Redis down) the request is let through
// and the failure logged, at most once a minute: availability first, an
// outage of the limiter must not become an outage of the gateway.
func rateLimit(l RateLimiter, log *slog.Logger, keyNames bool, next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	warn := &throttledLog{log: log, every: time.Minute}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context())
		if p == nil {
			next.ServeHTTP(w, r)
			return
		}
		ok, after, err := l.Allow(r.Context(), p.Name)
		switch {
		case err != nil:
			warn.Warn("rate limiter unavailable, request let through", "err", err)
		case !ok:
			secs := int(math.Ceil(after.Seconds()))
			if secs < 1 {
				secs = 1
			}
			label := ""
			if keyNames {
				label = p.Name
			}
			rateLimitedTotal.WithLabelValues(label).Inc()
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeGraphQLError(w, http.StatusTooManyRequests, errs.RateLimited,
				fmt.Sprintf("rate limit exceeded for API key %q; retry after %d s", p.Name, secs))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// throttledLog logs at most one line per period and counts the rest, so an
// outage of a shared store does not flood the logs.
type throttledLog struct {
	log   *slog.Logger
	every time.Duration

	mu         sync.Mutex
	last       time.Time
	suppressed int
}

func (t *throttledLog) Warn(msg string, args ...any) {
	t.mu.Lock()
	now := time.Now()
	if now.Sub(t.last) < t.every {
		t.suppressed++
		t.mu.Unlock()
		return
	}
	suppressed := t.suppressed
	t.last, t.suppressed = now, 0
	t.mu.Unlock()
	t.log.Warn(msg, append(args, "suppressed", suppressed)...)
}
