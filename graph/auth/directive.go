package auth

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"switchboard/graph/errs"
)

// ScopeDirective implements `@scope(name:)`: a caller without the scope
// gets FORBIDDEN on that field only (the gateway's soft-failure middleware
// keeps a non-null field from blanking its parent).
func ScopeDirective(ctx context.Context, _ any, next graphql.Resolver, name string) (any, error) {
	if !FromContext(ctx).Has(name) {
		return nil, &errs.Error{Code: errs.Forbidden, Message: "this API key lacks the scope " + name}
	}
	return next(ctx)
}
