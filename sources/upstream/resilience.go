package upstream

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/sony/gobreaker/v2"
)

// Defaults of the per-source protections.
const (
	DefaultMaxConcurrent   = 64
	DefaultBreakerFailures = 5
	DefaultBreakerCoolDown = 30 * time.Second
)

var (
	inflight = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "switchboard_upstream_inflight",
		Help: "Upstream calls in flight per source (bounded by the bulkhead).",
	}, []string{"source"})
	bulkheadWait = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "switchboard_upstream_bulkhead_wait_seconds",
		Help:    "Time spent waiting for a free upstream slot.",
		Buckets: []float64{.0005, .001, .005, .01, .05, .1, .5, 1},
	}, []string{"source"})
)

// guards are a Client's breakers (one per operation) and its bulkhead,
// created on first use so a zero Client works.
type guards struct {
	once     sync.Once
	sem      chan struct{}
	mu       sync.Mutex
	breakers map[string]*gobreaker.CircuitBreaker[*Response]
}

func (c *Client) initGuards() {
	c.guards.once.Do(func() {
		n := c.MaxConcurrent
		if n <= 0 {
			n = DefaultMaxConcurrent
		}
		c.guards.sem = make(chan struct{}, n)
		c.guards.breakers = map[string]*gobreaker.CircuitBreaker[*Response]{}
	})
}

func (c *Client) breaker(op string) *gobreaker.CircuitBreaker[*Response] {
	c.initGuards()
	c.guards.mu.Lock()
	defer c.guards.mu.Unlock()
	if b, ok := c.guards.breakers[op]; ok {
		return b
	}
	p := currentPolicy()
	failures := cmp.Or(c.BreakerFailures, p.BreakerFailures)
	cool := cmp.Or(c.BreakerCoolDown, p.BreakerCoolDown)
	minCalls, ratio := p.BreakerMinCalls, p.BreakerFailureRatio
	source := c.Source
	b := gobreaker.NewCircuitBreaker[*Response](gobreaker.Settings{
		Name:        source + "/" + op,
		MaxRequests: 1,
		Timeout:     cool,
		// Counts of the closed state start afresh every window.
		Interval: p.BreakerWindow,
		ReadyToTrip: func(cn gobreaker.Counts) bool {
			return cn.ConsecutiveFailures >= failures ||
				(cn.Requests >= minCalls && float64(cn.TotalFailures) >= ratio*float64(cn.Requests))
		},
		// Only faults of the upstream itself count: a refusal or a 404 is
		// a healthy upstream answering, and a caller giving up is not a fault.
		IsSuccessful: func(err error) bool { return err == nil || !isFault(err) },
		IsExcluded:   func(err error) bool { return errors.Is(err, context.Canceled) },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			slog.Warn("circuit breaker", "source", source, "operation", op, "from", from.String(), "to", to.String())
		},
	})
	c.guards.breakers[op] = b
	register(source, op, b)
	return b
}

func isFault(err error) bool {
	ue, ok := AsError(err)
	if !ok {
		return true
	}
	switch ue.Kind {
	case KindUnavailable, KindTimeout, KindInvalidResponse:
		return true
	}
	return false
}

// guarded runs one attempt behind the operation's breaker and the source's
// bulkhead. Waiting for a slot counts against the caller's deadline.
func (c *Client) guarded(ctx context.Context, op string, attempt func() (*Response, time.Duration, error)) (*Response, time.Duration, error) {
	c.initGuards()
	start := time.Now()
	select {
	case c.guards.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, NewError(c.Source, op, KindTimeout, 0, "no free connection slot before the deadline", nil, ctx.Err())
	}
	bulkheadWait.WithLabelValues(c.Source).Observe(time.Since(start).Seconds())
	inflight.WithLabelValues(c.Source).Inc()
	defer func() {
		inflight.WithLabelValues(c.Source).Dec()
		<-c.guards.sem
	}()
	var after time.Duration
	resp, err := c.breaker(op).Execute(func() (*Response, error) {
		r, a, err := attempt()
		after = a
		return r, err
	})
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return nil, 0, NewError(c.Source, op, KindUnavailable, 0, "circuit open after repeated failures; retrying later", nil, err)
	}
	return resp, after, err
}

// BreakerStates reports each operation's breaker state ("closed",
// "half-open", "open"), for readiness details.
func (c *Client) BreakerStates() map[string]string {
	c.initGuards()
	c.guards.mu.Lock()
	defer c.guards.mu.Unlock()
	out := make(map[string]string, len(c.guards.breakers))
	for op, b := range c.guards.breakers {
		out[op] = reportedState(b).String()
	}
	return out
}
