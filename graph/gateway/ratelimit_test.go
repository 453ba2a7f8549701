package gateway

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchboard/graph/auth"
)

func TestRateLimitPerKey(t *testing.T) {
	kinds := []struct {
		name string
		new  func(t *testing.T) (RateLimiter, RateLimiter)
	}{
		{"memory", func(*testing.T) (RateLimiter, RateLimiter) {
			l := NewMemoryRateLimiter(1, 3)
			return l, l
		}},
		// Two replicas over one Redis share each key's bucket.
		{"redis", func(t *testing.T) (RateLimiter, RateLimiter) {
			c, prefix := redisClient(t)
			return NewRedisRateLimiter(c, prefix, 1, 3), NewRedisRateLimiter(c, prefix, 1, 3)
		}},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			a, b := k.new(t)
			var log logBuffer
			replicas := []http.Handler{rateLimit(a, log.logger(), true, &okHandler{}), rateLimit(b, log.logger(), true, &okHandler{})}
			key := "partner-" + k.name
			before := testutil.ToFloat64(rateLimitedTotal.WithLabelValues(key))
			steps := []struct {
				replica int
				key     string
				want    int
			}{
				{0, key, 200}, {1, key, 200}, {0, key, 200},
				{1, key, 429}, {0, key, 429},
				{0, "other-" + k.name, 200}, // another key has its own bucket
			}
			for i, s := range steps {
				req := httptest.NewRequest("POST", "/graphql", nil)
				req = req.WithContext(auth.WithPrincipal(req.Context(), &auth.Principal{Name: s.key}))
				rec := httptest.NewRecorder()
				replicas[s.replica].ServeHTTP(rec, req)
				if rec.Code != s.want {
					t.Fatalf("step %d (%s on replica %d): %d, want %d", i, s.key, s.replica, rec.Code, s.want)
				}
				if s.want != 429 {
					continue
				}
				if secs, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || secs < 1 {
					t.Errorf("step %d: Retry-After %q", i, rec.Header().Get("Retry-After"))
				}
				if code := errorCode(t, rec.Body.Bytes()); code != "RATE_LIMITED" {
					t.Errorf("step %d: code %s", i, code)
				}
			}
			if got := testutil.ToFloat64(rateLimitedTotal.WithLabelValues(key)) - before; got != 2 {
				t.Errorf("switchboard_rate_limited_total{key=%q} grew by %v, want 2", key, got)
			}
			if log.String() != "" {
				t.Errorf("unexpected log: %s", log.String())
			}
		})
	}
}

func TestRateLimitPassesWhatItCannotJudge(t *testing.T) {
	cases := []struct {
		name      string
		limiter   func(t *testing.T) RateLimiter
		principal bool
		wantLog   bool
	}{
		{"no principal (WebSocket upgrade, preflight)", func(*testing.T) RateLimiter { return NewMemoryRateLimiter(1, 1) }, false, false},
		{"no limiter", func(*testing.T) RateLimiter { return nil }, true, false},
		{"redis down: fail open, logged once", func(t *testing.T) RateLimiter { return NewRedisRateLimiter(deadRedis(t), "x:", 1, 1) }, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var log logBuffer
			h := rateLimit(c.limiter(t), log.logger(), true, &okHandler{})
			for i := 0; i < 3; i++ {
				req := httptest.NewRequest("POST", "/graphql", nil)
				if c.principal {
					req = req.WithContext(auth.WithPrincipal(req.Context(), &auth.Principal{Name: "k"}))
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					t.Fatalf("request %d: %d %s", i, rec.Code, rec.Body)
				}
			}
			lines := strings.Count(log.String(), "rate limiter unavailable")
			if (lines == 1) != c.wantLog || lines > 1 {
				t.Errorf("%d log lines: %s", lines, log.String())
			}
		})
	}
}
