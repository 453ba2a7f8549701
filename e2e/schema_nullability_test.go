package e2e

import (
	"reflect"
	"sort"
	"testing"
	"unicode"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/generated"
	"switchboard/graph/idempotency"
	"switchboard/resolvers"
	"switchboard/schema"
)

// infallible are the non-null fields whose resolver never fails: it maps
// what its parent already holds, or answers the gateway's own state.
var infallible = map[string]bool{
	"Query.sources": true,
	"Mutation.ping": true,
}

// TestNoPlaceholderInSchema: a field that can fail (its resolver may return
// an error, or an API key may lack its @scope) is nullable, so that a
// failure answers null beside its error at that field: a non-null one would
// either null its parent or need an invented value.
func TestNoPlaceholderInSchema(t *testing.T) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema", Input: schema.SDL()})
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, coord := range fallibleFields(s) {
		if infallible[coord.name] {
			continue
		}
		if coord.def.Type.NonNull {
			bad = append(bad, coord.name)
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("%s can fail but is non-null", b)
	}
}

type fieldCoord struct {
	name string
	def  *ast.FieldDefinition
}

// fallibleFields lists the object fields with a resolver (read from the
// generated ResolverRoot) or a @scope directive. Subscription fields are
// left out: a failing subscription answers an error, not a value.
func fallibleFields(s *ast.Schema) []fieldCoord {
	resolved := map[string]bool{}
	root := reflect.TypeOf((*generated.ResolverRoot)(nil)).Elem()
	for i := range root.NumMethod() {
		m := root.Method(i)
		it := m.Type.Out(0)
		for j := range it.NumMethod() {
			r := []rune(it.Method(j).Name)
			r[0] = unicode.ToLower(r[0])
			resolved[m.Name+"."+string(r)] = true
		}
	}
	var out []fieldCoord
	for _, def := range s.Types {
		if def.Kind != ast.Object || def.BuiltIn || def.Name == "Subscription" {
			continue
		}
		for _, f := range def.Fields {
			name := def.Name + "." + f.Name
			if resolved[name] || f.Directives.ForName("scope") != nil {
				out = append(out, fieldCoord{name, f})
			}
		}
	}
	return out
}

// TestMutationsNameTheirSource: every mutation run under an idempotency key
// says which upstream it calls, so a request that waits for another holding
// its key past the deadline names it (UPSTREAM_TIMEOUT with a source).
func TestMutationsNameTheirSource(t *testing.T) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema", Input: schema.SDL()})
	if err != nil {
		t.Fatal(err)
	}
	hooks := (&resolvers.Resolver{}).IdempotencyHooks()
	for _, f := range s.Mutation.Fields {
		if f.Arguments.ForName(idempotency.ArgName) != nil && hooks[f.Name].Source == "" {
			t.Errorf("Mutation.%s: no Source in Resolver.IdempotencyHooks", f.Name)
		}
	}
}
