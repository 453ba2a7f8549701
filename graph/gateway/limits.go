package gateway

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"switchboard/graph/errs"
)

// Limits bound what one operation may ask, checked after validation and
// before any resolver runs, so a refused query never reaches an upstream.
type Limits struct {
	MaxDepth      int
	MaxAliases    int
	MaxRootFields int
	// MaxComplexity is a budget in which fields that call an upstream cost
	// more than fields that do not (see cost).
	MaxComplexity int
}

// DefaultLimits are documented in the README.
var DefaultLimits = Limits{MaxDepth: 10, MaxAliases: 30, MaxRootFields: 15, MaxComplexity: 5000}

// Costs of the complexity budget. A root field is an upstream call; a list
// of objects may fan out one call per element.
const (
	rootFieldCost  = 50
	listObjectCost = 5
	defaultListLen = 20
)

type limitsExtension struct {
	limits Limits
	es     graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = limitsExtension{}

func (limitsExtension) ExtensionName() string                   { return "QueryLimits" }
func (limitsExtension) Validate(graphql.ExecutableSchema) error { return nil }
func (l limitsExtension) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Operation
	if op == nil {
		return nil
	}
	w := walker{frags: oc.Doc.Fragments, seen: map[string]bool{}}
	roots := w.walk(op.SelectionSet, 1)
	switch {
	case l.limits.MaxRootFields > 0 && roots > l.limits.MaxRootFields:
		return tooComplex("operation has %d root fields; the limit is %d", roots, l.limits.MaxRootFields)
	case l.limits.MaxDepth > 0 && w.maxDepth > l.limits.MaxDepth:
		return tooComplex("operation is %d levels deep; the limit is %d", w.maxDepth, l.limits.MaxDepth)
	case l.limits.MaxAliases > 0 && w.aliases > l.limits.MaxAliases:
		return tooComplex("operation uses %d aliases; the limit is %d", w.aliases, l.limits.MaxAliases)
	}
	if l.limits.MaxComplexity > 0 {
		if c := complexity.Calculate(ctx, costed{l.es}, op, oc.Variables); c > l.limits.MaxComplexity {
			return tooComplex("operation costs %d; the budget is %d (fields that call an upstream cost more)", c, l.limits.MaxComplexity)
		}
	}
	return nil
}

func tooComplex(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": errs.QueryTooComplex}}
}

// walker measures depth and aliases, expanding fragments once each.
type walker struct {
	frags    ast.FragmentDefinitionList
	seen     map[string]bool
	maxDepth int
	aliases  int
}

// walk returns the number of fields directly in set.
func (w *walker) walk(set ast.SelectionSet, depth int) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			// Introspection (__schema, __type) is answered from the schema
			// with no upstream call, and GraphiQL's own query is 15 levels
			// deep: it is left out of the limits (switch it off with
			// SWITCHBOARD_INTROSPECTION instead).
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			n++
			if s.Alias != "" && s.Alias != s.Name {
				w.aliases++
			}
			if depth > w.maxDepth {
				w.maxDepth = depth
			}
			w.walk(s.SelectionSet, depth+1)
		case *ast.InlineFragment:
			n += w.walk(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			if w.seen[s.Name] {
				continue
			}
			w.seen[s.Name] = true
			if f := w.frags.ForName(s.Name); f != nil {
				n += w.walk(f.SelectionSet, depth)
			}
		}
	}
	return n
}

// costed prices fields for complexity.Calculate: root fields are upstream
// calls; a list of objects multiplies its children by its page size
// (`first`, `perPage`) or an estimate.
type costed struct{ graphql.ExecutableSchema }

func (c costed) Complexity(_ context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	s := c.Schema()
	def := s.Types[typeName]
	if def == nil {
		return 0, false
	}
	fd := def.Fields.ForName(field)
	if fd == nil {
		return 0, false
	}
	if strings.HasPrefix(field, "__") || strings.HasPrefix(typeName, "__") {
		return 0, true
	}
	cost := 1
	if typeName == s.Query.Name || (s.Mutation != nil && typeName == s.Mutation.Name) || (s.Subscription != nil && typeName == s.Subscription.Name) {
		cost = rootFieldCost
	}
	if fd.Type.Elem != nil && child > 0 {
		n := defaultListLen
		for _, k := range []string{"first", "perPage"} {
			if v, ok := args[k].(int); ok && v > 0 {
				n = v
			}
		}
		return cost + listObjectCost + n*child, true
	}
	return cost + child, true
}
