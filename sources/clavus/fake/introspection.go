package fake

import (
	"maps"
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
)

// introspects reports whether a selection asks __schema or __type.
func introspects(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if introspects(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && introspects(s.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}

// introspection answers __schema and __type from the served schema. Nested
// objects are resolvers, so a type is only built when a query reaches it.
type introspection struct{ s *ast.Schema }

func (in introspection) schema(map[string]any) (any, error) {
	var types []any
	for _, name := range sortedTypeNames(in.s) {
		types = append(types, in.typ(in.s.Types[name]))
	}
	root := func(d *ast.Definition) any {
		if d == nil {
			return nil
		}
		return in.typ(d)
	}
	var dirs []any
	for _, d := range in.s.Directives {
		locs := make([]any, len(d.Locations))
		for i, l := range d.Locations {
			locs[i] = string(l)
		}
		dirs = append(dirs, obj{"name": d.Name, "description": nilIfEmpty(d.Description), "locations": locs,
			"args": in.inputValues(d.Arguments), "isRepeatable": d.IsRepeatable})
	}
	return obj{
		"description": nil, "types": types, "queryType": root(in.s.Query), "mutationType": root(in.s.Mutation),
		"subscriptionType": root(in.s.Subscription), "directives": dirs,
	}, nil
}

func (in introspection) typeByName(args map[string]any) (any, error) {
	name, _ := args["name"].(string)
	if d := in.s.Types[name]; d != nil {
		return in.typ(d), nil
	}
	return nil, nil
}

func (in introspection) typ(d *ast.Definition) obj {
	o := obj{"kind": string(d.Kind), "name": d.Name, "description": nilIfEmpty(d.Description), "ofType": nil,
		"specifiedByURL": nil, "fields": nil, "interfaces": nil, "possibleTypes": nil, "enumValues": nil, "inputFields": nil}
	switch d.Kind {
	case ast.Object, ast.Interface:
		o["fields"] = resolver(func(map[string]any) (any, error) {
			var out []any
			for _, f := range d.Fields {
				if len(f.Name) > 1 && f.Name[:2] == "__" {
					continue
				}
				out = append(out, obj{"name": f.Name, "description": nilIfEmpty(f.Description),
					"args": in.inputValues(f.Arguments), "type": in.ref(f.Type), "isDeprecated": false, "deprecationReason": nil})
			}
			return out, nil
		})
		o["interfaces"] = []any{}
	case ast.Enum:
		o["enumValues"] = resolver(func(map[string]any) (any, error) {
			var out []any
			for _, v := range d.EnumValues {
				out = append(out, obj{"name": v.Name, "description": nilIfEmpty(v.Description), "isDeprecated": false, "deprecationReason": nil})
			}
			return out, nil
		})
	case ast.InputObject:
		o["inputFields"] = resolver(func(map[string]any) (any, error) {
			var out []any
			for _, f := range d.Fields {
				out = append(out, in.inputValue(f.Name, f.Description, f.Type, f.DefaultValue))
			}
			return out, nil
		})
	case ast.Union:
		var out []any
		for _, n := range d.Types {
			out = append(out, in.typ(in.s.Types[n]))
		}
		o["possibleTypes"] = out
	}
	return o
}

func (in introspection) inputValues(args ast.ArgumentDefinitionList) []any {
	out := []any{}
	for _, a := range args {
		out = append(out, in.inputValue(a.Name, a.Description, a.Type, a.DefaultValue))
	}
	return out
}

func (in introspection) inputValue(name, desc string, t *ast.Type, def *ast.Value) obj {
	var dv any
	if def != nil {
		dv = def.String()
	}
	return obj{"name": name, "description": nilIfEmpty(desc), "type": in.ref(t), "defaultValue": dv,
		"isDeprecated": false, "deprecationReason": nil}
}

// ref is a type reference: NON_NULL and LIST wrappers around a named type.
func (in introspection) ref(t *ast.Type) any {
	wrap := func(kind string, of any) obj {
		return obj{"kind": kind, "name": nil, "description": nil, "ofType": of, "specifiedByURL": nil, "fields": nil,
			"interfaces": nil, "possibleTypes": nil, "enumValues": nil, "inputFields": nil}
	}
	var inner any
	if t.Elem != nil {
		inner = wrap("LIST", in.ref(t.Elem))
	} else {
		inner = in.typ(in.s.Types[t.NamedType])
	}
	if t.NonNull {
		return wrap("NON_NULL", inner)
	}
	return inner
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func sortedTypeNames(s *ast.Schema) []string {
	return slices.Sorted(maps.Keys(s.Types))
}
