package gateway

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/graph/respcache"
)

// StaleField says that a field was answered from a cached value past its
// lifetime because its upstream failed.
type StaleField struct {
	Path      []any  `json:"path,omitempty"`
	Source    string `json:"source"`
	Operation string `json:"operation"`
}

type staleSet struct {
	mu     sync.Mutex
	fields []StaleField
}

// opState is what one operation's fields tell the gateway about its
// answer: the stale values it was served, and whether the response cache
// may keep it (cacheHint, set through graph/respcache so that resolvers
// need not import this package).
type opState struct {
	stale     staleSet
	cacheHint atomic.Bool
	// cacheMissed: the POST transport found no kept answer (cachedFirst).
	cacheMissed bool
}

type opStateKey struct{}

func withOpState(ctx context.Context) context.Context {
	st := new(opState)
	return respcache.WithHint(context.WithValue(ctx, opStateKey{}, st), &st.cacheHint)
}

func opStateOf(ctx context.Context) *opState {
	st, _ := ctx.Value(opStateKey{}).(*opState)
	return st
}

// MarkStale records, for the response's extensions.stale, that the field
// being resolved in ctx was served stale data of source/operation.
func MarkStale(ctx context.Context, source, operation string) {
	st := opStateOf(ctx)
	if st == nil {
		return
	}
	set := &st.stale
	f := StaleField{Source: source, Operation: operation}
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		for _, p := range fc.Path() {
			switch p := p.(type) {
			case ast.PathName:
				f.Path = append(f.Path, string(p))
			case ast.PathIndex:
				f.Path = append(f.Path, int(p))
			}
		}
	}
	set.mu.Lock()
	set.fields = append(set.fields, f)
	set.mu.Unlock()
}

// staleExtension copies the stale marks into the response extensions.
func staleExtension(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	st := opStateOf(ctx)
	if resp == nil || st == nil {
		return resp
	}
	set := &st.stale
	set.mu.Lock()
	defer set.mu.Unlock()
	if len(set.fields) > 0 {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["stale"] = set.fields
	}
	return resp
}
