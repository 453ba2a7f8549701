package gateway

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"switchboard/graph/errs"
	"switchboard/graph/scalars"
)

// DefaultMaxArgLength is the most characters a string argument or input
// field may hold unless the schema marks it otherwise with
// @maxLength(chars:) (schema/common.graphqls documents both).
const DefaultMaxArgLength = 1000

// echoLimit is the longest client input an error message may quote.
const echoLimit = 100

// argCheck checks every argument of an operation before any resolver runs,
// so nothing oversized or malformed reaches an upstream:
//   - strings (in arguments, input objects, lists, JSON) within their
//     maximum length;
//   - custom scalars (Date, DateTime) parse; gqlgen would otherwise report
//     a bad one at execution as an uncoded, hence INTERNAL, error.
//
// Each refusal is BAD_USER_INPUT naming the argument (extensions.field).
// It also keeps error messages from quoting long inputs back: a string
// argument over echoLimit characters is cut wherever a message repeats it.
type argCheck struct{ schema *ast.Schema }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = argCheck{}

func (argCheck) ExtensionName() string                   { return "ArgumentCheck" }
func (argCheck) Validate(graphql.ExecutableSchema) error { return nil }

func (a argCheck) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	c := argChecker{schema: a.schema, doc: oc.Doc, vars: oc.Variables, seen: map[string]bool{}}
	return c.selections(oc.Operation.SelectionSet)
}

// scalarChecks parse the custom scalars whose Go types fail at execution.
var scalarChecks = map[string]func(string) error{
	"DateTime": func(s string) error { _, err := graphql.UnmarshalTime(s); return err },
	"Date":     func(s string) error { var d scalars.Date; return d.UnmarshalGQL(s) },
}

var scalarForms = map[string]string{"DateTime": "an RFC 3339 date-time such as 2024-05-01T10:00:00Z", "Date": "a date YYYY-MM-DD"}

type argChecker struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	seen   map[string]bool
}

func (c *argChecker) selections(set ast.SelectionSet) *gqlerror.Error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Definition != nil {
				for _, a := range s.Arguments {
					def := s.Definition.Arguments.ForName(a.Name)
					if def == nil {
						continue
					}
					v, err := a.Value.Value(c.vars)
					if err != nil {
						continue // validation reports it
					}
					if e := c.value(v, def.Type, def.Directives, s.Name, a.Name); e != nil {
						return e
					}
				}
			}
			if err := c.selections(s.SelectionSet); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := c.selections(s.SelectionSet); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if c.seen[s.Name] {
				continue
			}
			c.seen[s.Name] = true
			if f := c.doc.Fragments.ForName(s.Name); f != nil {
				if err := c.selections(f.SelectionSet); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// value checks v of type t (t may be nil inside a JSON value).
func (c *argChecker) value(v any, t *ast.Type, dirs ast.DirectiveList, field, name string) *gqlerror.Error {
	switch v := v.(type) {
	case string:
		max := maxLength(dirs)
		if n := utf8.RuneCountInString(v); n > max {
			return badArg(name, "argument %s of %s is %d characters long; the limit is %d", name, field, n, max)
		}
		if t != nil {
			if check := scalarChecks[t.Name()]; check != nil && check(v) != nil {
				return badArg(name, "argument %s of %s is not %s", name, field, scalarForms[t.Name()])
			}
		}
	case []any:
		var elem *ast.Type
		if t != nil {
			elem = t.Elem
		}
		for _, e := range v {
			if err := c.value(e, elem, dirs, field, name); err != nil {
				return err
			}
		}
	case map[string]any:
		var def *ast.Definition
		if t != nil {
			if d := c.schema.Types[t.Name()]; d != nil && d.Kind == ast.InputObject {
				def = d
			}
		}
		for k, e := range v {
			var (
				ft    *ast.Type
				fdirs ast.DirectiveList
			)
			if def != nil {
				if fd := def.Fields.ForName(k); fd != nil {
					ft, fdirs = fd.Type, fd.Directives
				}
			}
			if err := c.value(e, ft, fdirs, field, name+"."+shorten(k)); err != nil {
				return err
			}
		}
	}
	return nil
}

func maxLength(dirs ast.DirectiveList) int {
	if d := dirs.ForName("maxLength"); d != nil {
		if a := d.Arguments.ForName("chars"); a != nil && a.Value != nil {
			if n, err := strconv.Atoi(a.Value.Raw); err == nil && n > 0 {
				return n
			}
		}
	}
	return DefaultMaxArgLength
}

func badArg(name, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": errs.BadUserInput, "field": name}}
}

// InterceptResponse cuts, in every error message, any string argument of
// the request longer than echoLimit: resolvers and upstreams may quote
// what they were given.
func (argCheck) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || len(resp.Errors) == 0 || !graphql.HasOperationContext(ctx) {
		return resp
	}
	long := longInputs(graphql.GetOperationContext(ctx))
	if len(long) == 0 {
		return resp
	}
	for _, e := range resp.Errors {
		for _, s := range long {
			if strings.Contains(e.Message, s) {
				e.Message = strings.ReplaceAll(e.Message, s, truncate(s, 40))
			}
		}
	}
	return resp
}

// longInputs lists the request's strings over echoLimit: in variables and
// as literals in the document.
func longInputs(oc *graphql.OperationContext) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if len(v) > echoLimit {
				out = append(out, v)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(oc.Variables)
	if oc.Operation != nil {
		var lits func(ast.SelectionSet)
		lits = func(set ast.SelectionSet) {
			for _, sel := range set {
				if f, ok := sel.(*ast.Field); ok {
					for _, a := range f.Arguments {
						if v, err := a.Value.Value(nil); err == nil {
							walk(v)
						}
					}
					lits(f.SelectionSet)
				} else if f, ok := sel.(*ast.InlineFragment); ok {
					lits(f.SelectionSet)
				}
			}
		}
		lits(oc.Operation.SelectionSet)
	}
	return out
}
