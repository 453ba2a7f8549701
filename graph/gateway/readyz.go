package gateway

import (
	"context"
	"net/http"
	"time"
)

// unreadyChecks name the checks whose failure makes this replica unready.
var unreadyChecks = map[string]bool{"config": true, "clavus-schema": true}

// readyHandler serves /readyz: 503 only when an unreadyChecks check fails.
// Another failing check (Redis: cache, call store) is reported in the body
// ("degraded": true, its error under "checks") with a 200: Redis down hits
// every replica alike, and taking them all out of the load balancer would
// turn a degraded call log into no gateway at all. A "breakers" object
// lists every circuit breaker that is not closed, by "source/operation", and
// a "warnings" object (e.g. "gravitel": "webhook not registered") from
// warnings, which may be nil. A check named in unreadyChecks (the config, a
// Clavus whose live schema our operations cannot be adapted to) is a
// deployment fault of this replica and makes it unready.
//
// Open breakers and warnings are reported but never make the replica
// unready: an upstream outage hits every replica alike, so taking them out of the load balancer
// would turn one source down into the whole gateway down, while the other
// sources' fields (and the failing one's stale cache) can still be served.
func readyHandler(checks map[string]func(context.Context) error, breakers, warnings func() map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status, report, degraded := http.StatusOK, map[string]string{}, false
		for name, check := range checks {
			if err := check(ctx); err != nil {
				report[name] = err.Error()
				if unreadyChecks[name] {
					status = http.StatusServiceUnavailable
				} else {
					degraded = true
				}
				continue
			}
			report[name] = "ok"
		}
		notClosed := map[string]string{}
		if breakers != nil {
			for name, state := range breakers() {
				if state != "closed" {
					notClosed[name] = state
				}
			}
		}
		warned := map[string]string{}
		if warnings != nil {
			warned = warnings()
		}
		writeJSON(w, status, map[string]any{"ready": status == http.StatusOK, "checks": report, "degraded": degraded, "breakers": notClosed, "warnings": warned})
	}
}
