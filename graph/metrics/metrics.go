// Package metrics records Prometheus metrics of GraphQL operations: latency
// by operation name and type, errors by extensions.code, and the number of
// live subscriptions. Upstream, cache and breaker metrics live with the code
// they measure (sources/upstream, graph/cache).
package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

var (
	operationDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "switchboard_graphql_operation_duration_seconds",
		Help:    "GraphQL queries and mutations from request read to first response, by operation name and type.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"operation", "type"})
	errorsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "switchboard_graphql_errors_total",
		Help: "Errors in GraphQL responses by operation name and extensions.code.",
	}, []string{"operation", "code"})
	activeSubscriptions = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "switchboard_active_subscriptions",
		Help: "GraphQL subscriptions currently streaming (WebSocket and SSE).",
	})
)

// Operation labels. Names come from the parsed document only, and clients
// choose them freely, so they are capped: past MaxOperationNames distinct
// names (or a name longer than maxNameLen) the label is "other".
const (
	MaxOperationNames = 500
	maxNameLen        = 100
	anonymous         = "anonymous"
	other             = "other"
	// invalid labels errors of a request that has no operation: it did
	// not parse, did not validate or named an operation it lacks.
	invalid = "invalid"
)

var names = struct {
	mu   sync.Mutex
	seen map[string]struct{}
}{seen: map[string]struct{}{}}

func operationLabel(op *ast.OperationDefinition) string {
	switch {
	case op == nil:
		return invalid
	case op.Name == "":
		return anonymous
	case len(op.Name) > maxNameLen:
		return other
	}
	names.mu.Lock()
	defer names.mu.Unlock()
	if _, ok := names.seen[op.Name]; ok {
		return op.Name
	}
	if len(names.seen) >= MaxOperationNames {
		return other
	}
	names.seen[op.Name] = struct{}{}
	return op.Name
}

// Extension is the gqlgen extension recording the metrics.
type Extension struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = Extension{}

// ExtensionName implements graphql.HandlerExtension.
func (Extension) ExtensionName() string { return "Metrics" }

// Validate implements graphql.HandlerExtension.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// executedKey marks the context of a response produced by an operation this
// extension wraps, whose errors the wrapper counts itself.
type executedKey struct{}

// InterceptOperation times queries and mutations and tracks subscriptions.
// It counts the errors of every response of the operation, including a
// subscription's setup failure, which gqlgen returns without running the
// response interceptors.
func (Extension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	name, typ := operationLabel(oc.Operation), oc.Operation.Operation
	h := next(ctx)
	if typ == ast.Subscription {
		return subscription(ctx, name, h)
	}
	start := oc.Stats.OperationStart
	if start.IsZero() {
		start = time.Now()
	}
	timed := false
	return func(ctx context.Context) *graphql.Response {
		resp := h(context.WithValue(ctx, executedKey{}, true))
		if resp != nil {
			// A transport calls the handler until it returns nil; only
			// the first answer is the operation's latency.
			if !timed {
				timed = true
				operationDuration.WithLabelValues(name, string(typ)).Observe(time.Since(start).Seconds())
			}
			countErrors(name, resp.Errors)
		}
		return resp
	}
}

// subscription counts the stream as active until its handler returns nil
// (the stream ended) or its context ends (client gone, connection closed),
// whichever comes first.
func subscription(ctx context.Context, name string, h graphql.ResponseHandler) graphql.ResponseHandler {
	activeSubscriptions.Inc()
	var once sync.Once
	end := func() { once.Do(activeSubscriptions.Dec) }
	stop := context.AfterFunc(ctx, end)
	return func(ctx context.Context) *graphql.Response {
		resp := h(context.WithValue(ctx, executedKey{}, true))
		if resp == nil {
			stop()
			end()
			return nil
		}
		countErrors(name, resp.Errors)
		return resp
	}
}

// InterceptResponse counts the errors of requests refused before execution
// (parse, validation, limits), which never reach InterceptOperation.
func (Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || ctx.Value(executedKey{}) != nil {
		return resp
	}
	var op *ast.OperationDefinition
	if graphql.HasOperationContext(ctx) {
		op = graphql.GetOperationContext(ctx).Operation
	}
	countErrors(operationLabel(op), resp.Errors)
	return resp
}

// countErrors labels each error with the code errs.Presenter gave it.
func countErrors(name string, list gqlerror.List) {
	for _, e := range list {
		code, _ := e.Extensions["code"].(string)
		errorsTotal.WithLabelValues(name, code).Inc()
	}
}

// QueryObserver is the latency series of query op, for an answer written
// without the executor (gateway's static answers): looked up once, then
// observed per request as InterceptOperation would.
func QueryObserver(op *ast.OperationDefinition) prometheus.Observer {
	return operationDuration.WithLabelValues(operationLabel(op), string(ast.Query))
}
