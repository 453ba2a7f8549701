package auth

import (
	"context"
	"reflect"
	"strings"
	"unicode"

	"github.com/99designs/gqlgen/graphql"

	"switchboard/graph/errs"
)

// ScopeDirective implements `@scope(name:)`: a caller without the scope
// gets FORBIDDEN on that field only. A non-null list field answers [] with
// the error at its path rather than null, because a null there would blank
// its parent (a whole vehicle) instead of that one field. root is the
// generated ResolverRoot interface type; it tells each list field's Go type.
func ScopeDirective(root reflect.Type) func(ctx context.Context, obj any, next graphql.Resolver, name string) (any, error) {
	empty := emptyLists(root)
	return func(ctx context.Context, _ any, next graphql.Resolver, name string) (any, error) {
		if FromContext(ctx).Has(name) {
			return next(ctx)
		}
		err := &errs.Error{Code: errs.Forbidden, Message: "this API key lacks the scope " + name}
		if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Field.Definition != nil && fc.Field.Definition.Type.NonNull {
			if v, ok := empty[fc.Object+"."+fc.Field.Name]; ok {
				graphql.AddError(ctx, err)
				return v, nil
			}
		}
		return nil, err
	}
}

// emptyLists maps "Object.field" to an empty value of the slice type that
// field's resolver returns, read from the resolver interfaces.
func emptyLists(root reflect.Type) map[string]any {
	out := map[string]any{}
	if root == nil || root.Kind() != reflect.Interface {
		return out
	}
	for i := range root.NumMethod() {
		m := root.Method(i) // e.g. Vehicle() VehicleResolver
		if m.Type.NumOut() != 1 || m.Type.Out(0).Kind() != reflect.Interface {
			continue
		}
		it := m.Type.Out(0)
		for j := range it.NumMethod() {
			fm := it.Method(j)
			if fm.Type.NumOut() == 2 && fm.Type.Out(0).Kind() == reflect.Slice {
				out[m.Name+"."+lowerFirst(fm.Name)] = reflect.MakeSlice(fm.Type.Out(0), 0, 0).Interface()
			}
		}
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return strings.Clone(string(r))
}
