package upstream

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	requestDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "switchboard_upstream_request_duration_seconds",
		Help:    "Upstream HTTP calls by source, operation and status (status 0: no response).",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"source", "operation", "status"})
	retries = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "switchboard_upstream_retries_total",
		Help: "Retries of idempotent upstream calls.",
	}, []string{"source", "operation"})
	tokenRefreshes = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "switchboard_upstream_token_refreshes_total",
		Help: "Tokens dropped after an upstream answered 401.",
	}, []string{"source"})
)

func observe(source, op string, status int, seconds float64) {
	requestDuration.WithLabelValues(source, op, strconv.Itoa(status)).Observe(seconds)
}
