package upstream

import (
	"sync/atomic"
	"time"
)

// Policy is the process-wide resilience configuration, read from the
// environment at start (graph/config) and set once with Configure before
// the first call. A Client's own non-zero Breaker fields still win (tests
// use them); the per-source timeout here wins over a Client's Timeout,
// since it is the operator's word on that source.
type Policy struct {
	// Timeout bounds one attempt to any source; Timeouts one source's
	// (by Client.Source).
	Timeout  time.Duration
	Timeouts map[string]time.Duration
	// A breaker opens on BreakerFailures consecutive faults, or when at
	// least BreakerMinCalls calls in the last BreakerWindow failed in a
	// proportion of BreakerFailureRatio or more; it stays open
	// BreakerCoolDown, then one probe call decides.
	BreakerFailures     uint32
	BreakerMinCalls     uint32
	BreakerFailureRatio float64
	BreakerWindow       time.Duration
	BreakerCoolDown     time.Duration
}

// DefaultPolicy is the policy until Configure is called.
var DefaultPolicy = Policy{
	Timeout:             DefaultTimeout,
	BreakerFailures:     DefaultBreakerFailures,
	BreakerMinCalls:     20,
	BreakerFailureRatio: 0.5,
	BreakerWindow:       60 * time.Second,
	BreakerCoolDown:     DefaultBreakerCoolDown,
}

var policy atomic.Pointer[Policy]

// Configure sets the process-wide policy; zero fields keep DefaultPolicy's.
func Configure(p Policy) {
	d := DefaultPolicy
	if p.Timeout > 0 {
		d.Timeout = p.Timeout
	}
	d.Timeouts = p.Timeouts
	if p.BreakerFailures > 0 {
		d.BreakerFailures = p.BreakerFailures
	}
	if p.BreakerMinCalls > 0 {
		d.BreakerMinCalls = p.BreakerMinCalls
	}
	if p.BreakerFailureRatio > 0 {
		d.BreakerFailureRatio = p.BreakerFailureRatio
	}
	if p.BreakerWindow > 0 {
		d.BreakerWindow = p.BreakerWindow
	}
	if p.BreakerCoolDown > 0 {
		d.BreakerCoolDown = p.BreakerCoolDown
	}
	policy.Store(&d)
}

func currentPolicy() *Policy {
	if p := policy.Load(); p != nil {
		return p
	}
	return &DefaultPolicy
}

// TimeoutOf is the bound of one attempt to source.
func (p Policy) TimeoutOf(source string) time.Duration {
	if d := p.Timeouts[source]; d > 0 {
		return d
	}
	return p.Timeout
}

// attemptTimeout is the bound of one attempt of c.
func (c *Client) attemptTimeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return currentPolicy().TimeoutOf(c.Source)
}
