// Package sources is what concerns every upstream at once; each upstream's
// client lives in its own subpackage. It exists because the source kit is
// internal to sources/ and graph still needs to read its state.
package sources

import "switchboard/sources/internal/upstream"

// BreakerStates reports every circuit breaker of the process ("closed",
// "half-open", "open") by "source/operation".
func BreakerStates() map[string]string { return upstream.BreakerStates() }

// Policy is the process-wide timeout and circuit-breaker configuration of
// every source's client.
type Policy = upstream.Policy

// Configure sets the Policy; call it before the first upstream call.
func Configure(p Policy) { upstream.Configure(p) }
