package gateway

import (
	"context"
	"reflect"
	"unicode"

	"github.com/99designs/gqlgen/graphql"
)

// softFailures keeps one failing source from blanking a response. In
// GraphQL an error on a non-null field nulls its parent, and on a non-null
// root field (`interfaces: [Interface!]!`, fixed by DESIGN.md) it nulls the
// whole `data`. So a non-null field whose resolver fails answers its empty
// value ([] or an empty object) with the error at its path instead, and the
// other fields are served.
func softFailures(root reflect.Type) graphql.FieldMiddleware {
	empty := emptyValues(root)
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		res, err := next(ctx)
		if err == nil {
			return res, nil
		}
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || fc.Field.Definition == nil || !fc.Field.Definition.Type.NonNull {
			return res, err
		}
		// A failed write answers null, as GraphQL has it: an empty result
		// would read as a write that happened.
		if fc.Object == "Mutation" {
			return res, err
		}
		mk, ok := empty[fc.Object+"."+fc.Field.Name]
		if !ok {
			return res, err
		}
		graphql.AddError(ctx, err)
		return mk(), nil
	}
}

// emptyValues maps "Object.field" to a maker of the empty value of the slice
// or struct pointer that field's resolver returns, read from the generated
// resolver interfaces (root is the ResolverRoot interface type).
func emptyValues(root reflect.Type) map[string]func() any {
	out := map[string]func() any{}
	if root == nil || root.Kind() != reflect.Interface {
		return out
	}
	for i := range root.NumMethod() {
		m := root.Method(i) // e.g. Query() QueryResolver
		if m.Type.NumOut() != 1 || m.Type.Out(0).Kind() != reflect.Interface {
			continue
		}
		it := m.Type.Out(0)
		for j := range it.NumMethod() {
			fm := it.Method(j)
			if fm.Type.NumOut() != 2 {
				continue
			}
			t := fm.Type.Out(0)
			key := m.Name + "." + lowerFirst(fm.Name)
			switch {
			case t.Kind() == reflect.Slice:
				out[key] = func() any { return reflect.MakeSlice(t, 0, 0).Interface() }
			case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
				out[key] = func() any { return reflect.New(t.Elem()).Interface() }
			}
		}
	}
	return out
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}
