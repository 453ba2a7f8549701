package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"

	"switchboard/graph/auth"
	"switchboard/graph/cache"
	"switchboard/graph/metrics"
	"switchboard/graph/respcache"
)

// The response cache is a micro-cache of whole query answers, on top of the
// per-source caches: an identical query (document, operation, variables)
// from a client with the same scopes, within TTL, is answered with the
// bytes of the last answer instead of running the executor again. Only
// clean answers are kept: no errors, no extensions (a stale field marks
// one), one response (no @defer), a query. Any mutation drops every kept
// answer (a generation bump in the shared store, so all replicas see it),
// and fields whose data changes without a mutation (the call log, fed by
// the PBX) opt out with respcache.Skip.
const respSource, respOperation = "gateway", "responses"

var respCacheTotal = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "switchboard_response_cache_total",
	Help: "Query answers looked up in the response cache, by result (hit, miss, skip).",
}, []string{"result"})

// responseCache is the gqlgen extension serving and filling the cache.
type responseCache struct {
	cache *cache.Cache
	ttl   time.Duration
}

var (
	_ graphql.HandlerExtension     = responseCache{}
	_ graphql.OperationInterceptor = responseCache{}
)

func (responseCache) ExtensionName() string                   { return "ResponseCache" }
func (responseCache) Validate(graphql.ExecutableSchema) error { return nil }

func (rc responseCache) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Query {
		if oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
			return rc.invalidateAfter(ctx, next)
		}
		return next(ctx)
	}
	key, ok := responseKey(ctx, oc.OperationName, oc.RawQuery, oc.Variables)
	if !ok {
		return next(ctx)
	}
	if st := opStateOf(ctx); st != nil && st.cacheMissed {
		// The POST transport looked it up already (cachedFirst).
	} else if b, hit, err := rc.cache.Get(ctx, key); err == nil && hit {
		respCacheTotal.WithLabelValues("hit").Inc()
		served := false
		return func(context.Context) *graphql.Response {
			if served {
				return nil
			}
			served = true
			return &graphql.Response{Data: json.RawMessage(b)}
		}
	}
	respCacheTotal.WithLabelValues("miss").Inc()
	h := next(ctx)
	n := 0
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		n++
		if resp == nil || n > 1 {
			return resp
		}
		if len(resp.Errors) > 0 || len(resp.Extensions) > 0 || resp.HasNext != nil || respcache.Skipped(ctx) {
			respCacheTotal.WithLabelValues("skip").Inc()
			return resp
		}
		_ = rc.cache.Put(ctx, key, rc.ttl, resp.Data)
		return resp
	}
}

// invalidateAfter runs a mutation, then drops every kept answer: whatever
// it wrote may be in one of them.
func (rc responseCache) invalidateAfter(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		_ = rc.cache.Invalidate(context.WithoutCancel(ctx), respSource, respOperation)
		return resp
	}
}

// responseKey names an answer: the client's scopes (answers differ by what
// a key may see), the operation name, the document and the (coerced)
// variables.
func responseKey(ctx context.Context, operationName, query string, variables map[string]any) (cache.Key, bool) {
	vars, err := json.Marshal(variables) // map keys are sorted: canonical
	if err != nil {
		return cache.Key{}, false
	}
	b := make([]byte, 0, 512)
	for _, part := range [...]string{auth.FromContext(ctx).ScopeKey(), operationName, query} {
		b = append(append(b, part...), 0)
	}
	sum := sha256.Sum256(append(append(b, vars...), 0))
	return cache.Key{Source: respSource, Operation: respOperation, ID: hex.EncodeToString(sum[:])}, true
}

// cachedFirst lets the POST transport answer from the response cache before
// the executor runs: a hit then costs the lookup, not the operation
// context, the extensions and the dispatch. It serves only what the
// executor would have served from the cache: the document is known valid
// (the parsed-document cache holds validated documents only), it names a
// query without @defer, its variables coerce, and the answer was kept after
// it passed the limits with the same variables. A request that asks for
// its cost, or while operations are traced, runs the executor. On a miss
// the extension is told not to look again.
type cachedFirst struct {
	rc     responseCache
	docs   graphql.Cache[*ast.QueryDocument]
	schema *ast.Schema
	traced func() bool
}

// answer returns the kept answer of params.
func (c *cachedFirst) answer(ctx context.Context, r *http.Request, params *graphql.RawParams) (*graphql.Response, bool) {
	if c == nil || params.Query == "" || len(params.Extensions) > 0 || r.Header.Get(CostHeader) != "" || (c.traced != nil && c.traced()) {
		return nil, false
	}
	doc, ok := c.docs.Get(ctx, params.Query)
	if !ok {
		return nil, false
	}
	op := doc.Operations.ForName(params.OperationName)
	if op == nil || op.Operation != ast.Query || usesDefer(doc, op) {
		return nil, false
	}
	vars, err := validator.VariableValues(c.schema, op, params.Variables)
	if err != nil {
		return nil, false
	}
	key, ok := responseKey(ctx, params.OperationName, params.Query, vars)
	if !ok {
		return nil, false
	}
	b, hit, err := c.rc.cache.Get(ctx, key)
	if err != nil || !hit {
		if st := opStateOf(ctx); st != nil && err == nil {
			st.cacheMissed = true
		}
		return nil, false
	}
	respCacheTotal.WithLabelValues("hit").Inc()
	metrics.QueryObserver(op).Observe(time.Since(params.ReadTime.Start).Seconds())
	return &graphql.Response{Data: json.RawMessage(b)}, true
}
