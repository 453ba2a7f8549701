package gateway

import (
	"context"
	"net/http"
	"time"
)

// readyHandler serves /readyz: 503 when a check fails (config, cache store),
// a "breakers" object listing every circuit breaker that is not closed,
// by "source/operation", and a "warnings" object (e.g. "gravitel": "webhook
// not registered") from warnings, which may be nil.
//
// Open breakers and warnings are reported but never make the replica
// unready: an upstream
// outage hits every replica alike, so taking them out of the load balancer
// would turn one source down into the whole gateway down, while the other
// sources' fields (and the failing one's stale cache) can still be served.
func readyHandler(checks map[string]func(context.Context) error, breakers, warnings func() map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status, report := http.StatusOK, map[string]string{}
		for name, check := range checks {
			if err := check(ctx); err != nil {
				status, report[name] = http.StatusServiceUnavailable, err.Error()
				continue
			}
			report[name] = "ok"
		}
		notClosed := map[string]string{}
		for name, state := range breakers() {
			if state != "closed" {
				notClosed[name] = state
			}
		}
		warned := map[string]string{}
		if warnings != nil {
			warned = warnings()
		}
		writeJSON(w, status, map[string]any{"ready": status == http.StatusOK, "checks": report, "breakers": notClosed, "warnings": warned})
	}
}
