package gateway

import (
	"context"
	"fmt"
	"math"
	"strings"

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
	// MaxComplexity is a budget of upstream work (see costed): a field
	// costs what it makes the gateway ask upstreams.
	MaxComplexity int
}

// DefaultLimits are documented in the README.
var DefaultLimits = Limits{MaxDepth: 10, MaxAliases: 30, MaxRootFields: 15, MaxComplexity: 5000}

// Costs of the complexity budget, in upstream work. One upstream call is
// callCost; a lookup that is deduplicated and cached across the query (a
// Shop prestation by code, a caller by phone) is lookupCost; a field read
// from a call already planned (a vision360 bundle, the items of one list
// answer) costs nothing, or planShare for the fields that decide whether a
// vehicle needs its call at all.
const (
	callCost       = 10
	lookupCost     = 2
	planShare      = 1
	defaultListLen = 20
)

// Cost is an operation's price against the budget.
type Cost struct {
	Requested int `json:"requested"`
	Budget    int `json:"budget"`
}

// CostHeader asks for the operation's cost in the response's
// extensions.cost ({requested, budget}) when set to 1 or true.
const CostHeader = "X-Switchboard-Cost"

// fieldCost prices a field below the root that does upstream work of its
// own, per parent object: perParent once (its items are in that answer),
// perItem for each item of its list (each item is a call; when lazy, only
// if the item's selection needs more than what the parent knows), listLen
// its expected length when it is not the default.
type fieldCost struct {
	perParent, perItem, listLen int
	lazy                        bool
}

// fieldCosts are the non-root fields that call an upstream (see their
// resolvers). Every other field is served by its parent's answer.
var fieldCosts = map[string]fieldCost{
	"Query.interfaces":                 {perItem: callCost},                                  // the list, then each interface's detail
	"Interface.prestations":            {perParent: callCost, perItem: callCost, listLen: 5}, // the codes, then one detail call per distinct code
	"OrderedPrestation.prestation":     {perParent: planShare},                               // the catalogue, read once per query
	"Prestation.associated":            {perItem: planShare},
	"Folder.values":                    {perParent: planShare}, // one getValuesByIds for the whole page
	"Team.users":                       {perParent: lookupCost},
	"Customer.calls":                   {perParent: lookupCost},
	"Vehicle.calls":                    {perParent: lookupCost},
	"Call.customer":                    {perParent: lookupCost},
	"Customer.vehicles":                {perItem: callCost, listLen: 1, lazy: true}, // an MMP customer has the plate it was found through
	"CampaignCustomerPage.hasNextPage": {perParent: callCost},                       // reads the next page when MMP gives no paging
}

// plannedTypes are types whose fields are served by one call planned for
// the object (a vehicle's vision360 bundle or single list): each of their
// fields but those listed costs planShare, so a Vehicle reached through a
// list (Customer.vehicles) is charged its call only when a field needs it.
var plannedTypes = map[string]map[string]bool{
	"Vehicle": {"plate": true, "calls": true},
}

type limitsExtension struct {
	limits Limits
	es     graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.OperationInterceptor
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
		if c := (costed{l.es}).calculate(op, oc.Variables); c > l.limits.MaxComplexity {
			err := tooComplex("operation costs %d; the budget is %d (a field costs the upstream calls it makes)", c, l.limits.MaxComplexity)
			err.Extensions["cost"] = Cost{Requested: c, Budget: l.limits.MaxComplexity}
			return err
		}
	}
	return nil
}

// InterceptOperation adds extensions.cost to the (first) response when
// the client sends CostHeader, so users can tune their queries.
func (l limitsExtension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	h := next(ctx)
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil || !wantsCost(oc.Headers.Get(CostHeader)) {
		return h
	}
	cost := Cost{Requested: (costed{l.es}).calculate(oc.Operation, oc.Variables), Budget: l.limits.MaxComplexity}
	first := true
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		if resp != nil && first {
			first = false
			if resp.Extensions == nil {
				resp.Extensions = map[string]any{}
			}
			resp.Extensions["cost"] = cost
		}
		return resp
	}
}

func wantsCost(v string) bool { return v == "1" || strings.EqualFold(v, "true") }

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

// costed prices an operation: a root field is one upstream call;
// fieldCosts and plannedTypes price the fields below the root that call
// upstreams; a list multiplies its items' cost by its page size (`first`,
// `perPage`) or an estimate, so list items served by one answer cost
// nothing and a call per item costs per item. (gqlgen's complexity package
// prices every field at 1 at least, which is what this avoids.)
type costed struct{ graphql.ExecutableSchema }

// calculate is the cost of op, fragments expanded where they are used.
func (c costed) calculate(op *ast.OperationDefinition, vars map[string]any) int {
	return c.set(op.SelectionSet, vars)
}

func (c costed) set(set ast.SelectionSet, vars map[string]any) int {
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Definition == nil || s.ObjectDefinition == nil {
				continue
			}
			child := c.set(s.SelectionSet, vars)
			args := s.ArgumentMap(vars)
			cost := 0
			for _, t := range c.Schema().GetPossibleTypes(s.ObjectDefinition) {
				cost = max(cost, c.field(t.Name, s.Name, child, args))
			}
			total = saturating(total, cost)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				total = saturating(total, c.set(s.Definition.SelectionSet, vars))
			}
		case *ast.InlineFragment:
			total = saturating(total, c.set(s.SelectionSet, vars))
		}
	}
	return total
}

func saturating(a, b int) int {
	if a > math.MaxInt32-b {
		return math.MaxInt32
	}
	return a + b
}

// field prices one field of typeName, whose selection costs child.
func (c costed) field(typeName, field string, child int, args map[string]any) int {
	s := c.Schema()
	def := s.Types[typeName]
	if def == nil || strings.HasPrefix(field, "__") || strings.HasPrefix(typeName, "__") {
		return 0
	}
	fd := def.Fields.ForName(field)
	if fd == nil {
		return 0
	}
	fc := fieldCosts[typeName+"."+field]
	if typeName == s.Query.Name || (s.Mutation != nil && typeName == s.Mutation.Name) || (s.Subscription != nil && typeName == s.Subscription.Name) {
		fc.perParent = callCost
	}
	if free, ok := plannedTypes[typeName]; ok && !free[field] {
		fc.perParent += planShare
	}
	if fd.Type.Elem == nil {
		return saturating(fc.perParent, child)
	}
	n := defaultListLen
	if fc.listLen > 0 {
		n = fc.listLen
	}
	for _, k := range []string{"first", "perPage"} {
		if v, ok := args[k].(int); ok && v > 0 {
			n = v
		}
	}
	item := child
	if fc.perItem > 0 && (child > 0 || !fc.lazy) {
		item = saturating(item, fc.perItem)
	}
	if item > 0 && n > math.MaxInt32/item {
		return math.MaxInt32
	}
	return saturating(fc.perParent, n*item)
}
