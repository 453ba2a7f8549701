package upstream

import (
	"sync"
	"weak"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sony/gobreaker/v2"
)

// registry knows every breaker of the process, so the state gauge and
// readiness can see them without holding a list of Clients. Entries are weak:
// a Client that is dropped (a test's gateway, a reconfigured source) takes its
// breakers out with it instead of reporting them forever.
var registry = struct {
	mu sync.Mutex
	m  map[weak.Pointer[gobreaker.CircuitBreaker[*Response]]]breakerKey
}{m: map[weak.Pointer[gobreaker.CircuitBreaker[*Response]]]breakerKey{}}

type breakerKey struct{ source, operation string }

func register(source, op string, b *gobreaker.CircuitBreaker[*Response]) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	registry.m[weak.Make(b)] = breakerKey{source, op}
}

// states reads every live breaker. Two Clients of one source may share an
// operation name; the worse state wins, since that is the one to look at.
func states() map[breakerKey]gobreaker.State {
	type live struct {
		k breakerKey
		b *gobreaker.CircuitBreaker[*Response]
	}
	registry.mu.Lock()
	var all []live
	for p, k := range registry.m {
		if b := p.Value(); b != nil {
			all = append(all, live{k, b})
		} else {
			delete(registry.m, p)
		}
	}
	registry.mu.Unlock()
	// State runs OnStateChange when a cool-down has just ended, so it is
	// called outside the registry lock.
	out := make(map[breakerKey]gobreaker.State, len(all))
	for _, l := range all {
		if st := reportedState(l.b); st >= out[l.k] {
			out[l.k] = st
		}
	}
	return out
}

// BreakerStates reports the state of every circuit breaker in the process
// ("closed", "half-open", "open") by "source/operation".
func BreakerStates() map[string]string {
	st := states()
	out := make(map[string]string, len(st))
	for k, s := range st {
		out[k.source+"/"+k.operation] = s.String()
	}
	return out
}

// breakerCollector reads the states at scrape time: gobreaker only leaves
// the open state when asked, so a gauge set on transitions would show a
// breaker open long after its cool-down.
type breakerCollector struct{}

var breakerStateDesc = prometheus.NewDesc("switchboard_upstream_breaker_state",
	"Circuit breaker state per source and operation: 0 closed, 1 half-open, 2 open.",
	[]string{"source", "operation"}, nil)

func (breakerCollector) Describe(ch chan<- *prometheus.Desc) { ch <- breakerStateDesc }

func (breakerCollector) Collect(ch chan<- prometheus.Metric) {
	for k, s := range states() {
		ch <- prometheus.MustNewConstMetric(breakerStateDesc, prometheus.GaugeValue, float64(s), k.source, k.operation)
	}
}

func init() { prometheus.MustRegister(breakerCollector{}) }

// reportedState is a breaker's state as readiness and metrics show it: a
// breaker whose cool-down ended with no call since is half-open to
// gobreaker, but nothing is failing or being probed, and the next call
// goes through: it reads as closed.
func reportedState(b *gobreaker.CircuitBreaker[*Response]) gobreaker.State {
	st := b.State()
	if st == gobreaker.StateHalfOpen && b.Counts().Requests == 0 {
		return gobreaker.StateClosed
	}
	return st
}
