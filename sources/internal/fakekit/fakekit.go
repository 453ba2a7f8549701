// Package fakekit holds what every upstream fake shares: the fault and
// latency knobs, a per-route count of the calls a fake received so tests
// and benchmarks can assert how many upstream calls a query made, and the
// bookkeeping of the access tokens a fake hands out.
package fakekit

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Knobs are the fault-injection settings of a fake. They are safe to change
// while the fake serves.
type Knobs struct {
	latency   atomic.Int64 // nanoseconds added to every request
	errorRate atomic.Uint64
	down      atomic.Bool
	downPaths atomic.Pointer[[]string]
	failNext  atomic.Int64

	mu    sync.Mutex
	calls map[string]int
}

// SetLatency adds d to every request.
func (k *Knobs) SetLatency(d time.Duration) { k.latency.Store(int64(d)) }

// Latency is the current injected latency.
func (k *Knobs) Latency() time.Duration { return time.Duration(k.latency.Load()) }

// SetErrorRate makes a fraction (0..1) of requests answer 503.
func (k *Knobs) SetErrorRate(r float64) { k.errorRate.Store(uint64(r * 1e6)) }

// SetDown makes every request answer 503 (the upstream is down).
func (k *Knobs) SetDown(down bool) { k.down.Store(down) }

// SetDownPaths makes the requests whose URL path contains one of
// fragments answer 503, as SetDown does for all: one endpoint down while the
// others answer. None clears it.
func (k *Knobs) SetDownPaths(fragments ...string) { k.downPaths.Store(&fragments) }

func (k *Knobs) pathDown(p string) bool {
	if frags := k.downPaths.Load(); frags != nil {
		for _, f := range *frags {
			if strings.Contains(p, f) {
				return true
			}
		}
	}
	return false
}

// FailNext arms the next n failures: each fake says which of its calls
// consume one (TakeFailure) and how such a call fails.
func (k *Knobs) FailNext(n int) { k.failNext.Store(int64(n)) }

// TakeFailure reports whether an armed failure is left, consuming it.
func (k *Knobs) TakeFailure() bool {
	for {
		n := k.failNext.Load()
		if n <= 0 {
			return false
		}
		if k.failNext.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

// Count records one call to route. Fakes call it for each request they
// actually serve, with a route name such as "vision360" or "token".
func (k *Knobs) Count(route string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.calls == nil {
		k.calls = map[string]int{}
	}
	k.calls[route]++
}

// Calls returns how many times route was served.
func (k *Knobs) Calls(route string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.calls[route]
}

// TotalCalls is the number of calls over every route.
func (k *Knobs) TotalCalls() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for _, c := range k.calls {
		n += c
	}
	return n
}

// ResetCalls forgets every count.
func (k *Knobs) ResetCalls() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = nil
}

// Wrap applies latency and faults before next. A faulted request answers
// 503 with an HTML page, as a load balancer in front of a real upstream does.
func (k *Knobs) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := k.Latency(); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		rate := k.errorRate.Load()
		if k.down.Load() || k.pathDown(r.URL.Path) || (rate > 0 && rand.Uint64N(1e6) < rate) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
