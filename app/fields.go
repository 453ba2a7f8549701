package app

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"switchboard/graph/flatlists"
	"switchboard/graph/idempotency"
)

// fieldRoute is the one field interceptor of the schema: Mutation root
// fields go to idempotency, every other field to flat lists. gqlgen calls
// each registered interceptor on every field, with a closure apiece, while
// each of these two acts on fields the other never does.
type fieldRoute struct {
	mutations *idempotency.Extension
	lists     flatlists.Extension
}

var (
	_ graphql.HandlerExtension = fieldRoute{}
	_ graphql.FieldInterceptor = fieldRoute{}
)

// ExtensionName implements graphql.HandlerExtension.
func (fieldRoute) ExtensionName() string { return "FieldRoute" }

// Validate implements graphql.HandlerExtension.
func (f fieldRoute) Validate(s graphql.ExecutableSchema) error {
	if err := f.mutations.Validate(s); err != nil {
		return err
	}
	return f.lists.Validate(s)
}

// InterceptField implements graphql.FieldInterceptor.
func (f fieldRoute) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Object == "Mutation" {
		return f.mutations.InterceptField(ctx, next)
	}
	return f.lists.InterceptField(ctx, next)
}
