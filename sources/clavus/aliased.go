package clavus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"switchboard/sources/upstream"
)

// aliasedCall is one request asking the field of a genqlient operation
// several times under aliases. genqlient generates one function per static
// operation and cannot express a variable number of aliases, so the
// document is derived from genqlient's own operation (same selection, same
// variable types) and sent through the same graphql.Client, which adapts
// it to the live schema like any other.
type aliasedCall struct {
	op     string // operation name sent, e.g. GetUsersOfTeams
	base   string // genqlient's operation text
	prefix string // of the aliases: t0, t1... (also of the variables: t0_teamId)
	vars   []map[string]any
}

// aliasedAnswer is what Clavus answered for one alias: its raw JSON (nil
// when null or absent) and the errors whose path names it.
type aliasedAnswer struct {
	data json.RawMessage
	errs gqlerror.List
}

// errAliasesRefused is how a Clavus that refused an aliased document before
// is answered, without asking it again.
var errAliasesRefused = errors.New("clavus: aliased documents are refused")

// aliased sends the call in one request. A *PartialError is returned beside
// the answers; a refusal of the document itself (HTTP 400) is remembered,
// so later calls fail at once with KindRejected and callers go per item.
func (c *Client) aliased(ctx context.Context, call aliasedCall) ([]aliasedAnswer, *PartialError, error) {
	if c.noAliases.Load() {
		return nil, nil, upstream.NewError(Source, call.op, upstream.KindRejected, 0, errAliasesRefused.Error(), nil, errAliasesRefused)
	}
	query, err := aliasedDocument(call.base, call.op, call.prefix, len(call.vars))
	if err != nil {
		return nil, nil, err
	}
	vars := map[string]any{}
	for i, vs := range call.vars {
		for name, v := range vs {
			vars[aliasName(call.prefix, i)+"_"+name] = v
		}
	}
	var data struct {
		ErpEnrAPI map[string]json.RawMessage `json:"erpEnrAPI"`
	}
	resp := &graphql.Response{Data: &data}
	err = c.gql.MakeRequest(ctx, &graphql.Request{OpName: call.op, Query: query, Variables: vars}, resp)
	pe, failed := partial(err)
	if failed {
		if ue, ok := upstream.AsError(err); ok && ue.Kind == upstream.KindRejected && ue.Status == http.StatusBadRequest {
			c.noAliases.Store(true)
		}
		return nil, nil, err
	}
	// Errors name their item by the alias at the second step of the path.
	byAlias := map[string]gqlerror.List{}
	for _, e := range resp.Errors {
		if e != nil && len(e.Path) > 1 {
			if alias, ok := e.Path[1].(ast.PathName); ok {
				byAlias[string(alias)] = append(byAlias[string(alias)], e)
			}
		}
	}
	out := make([]aliasedAnswer, len(call.vars))
	for i := range out {
		alias := aliasName(call.prefix, i)
		raw := data.ErpEnrAPI[alias]
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			raw = nil
		}
		out[i] = aliasedAnswer{data: raw, errs: byAlias[alias]}
	}
	return out, pe, nil
}

// askEachAlone reports whether an aliased call that failed with err is to
// be asked item by item: the document was refused, or one item's error
// nulled every answer (erpEnrAPI and its fields are non-null, so a team
// Clavus does not know takes the other teams' users with it).
func askEachAlone(err error) bool {
	ue, ok := upstream.AsError(err)
	return ok && (ue.Kind == upstream.KindRejected || ue.Kind == upstream.KindNotFound)
}

// itemError is why an alias has no answer.
func (c *Client) itemError(op string, a aliasedAnswer, pe *PartialError) error {
	if len(a.errs) == 0 && pe != nil {
		return pe.Err
	}
	errs := a.errs
	if len(errs) == 0 {
		errs = gqlerror.List{{Message: "no answer for this item"}}
	}
	return graphQLError(op, 0, errs, nil)
}

func aliasName(prefix string, i int) string { return prefix + strconv.Itoa(i) }

// aliasedDocument writes the field under erpEnrAPI of the operation base n
// times under aliases prefix0..prefix(n-1), each with base's variables
// renamed $<alias>_<name> and declared alike.
func aliasedDocument(base, opName, prefix string, n int) (string, error) {
	doc, err := parser.ParseQuery(&ast.Source{Input: base})
	if err != nil {
		return "", err
	}
	op := doc.Operations[0]
	api, ok := op.SelectionSet[0].(*ast.Field)
	if !ok || len(op.SelectionSet) != 1 || len(api.SelectionSet) != 1 {
		return "", errors.New("clavus: " + op.Name + " is not shaped as expected")
	}
	inner, ok := api.SelectionSet[0].(*ast.Field)
	if !ok {
		return "", errors.New("clavus: " + op.Name + " is not shaped as expected")
	}
	out := &ast.OperationDefinition{Operation: ast.Query, Name: opName}
	field := &ast.Field{Name: api.Name}
	for i := range n {
		alias := aliasName(prefix, i)
		rename := func(v string) string { return alias + "_" + v }
		for _, def := range op.VariableDefinitions {
			out.VariableDefinitions = append(out.VariableDefinitions, &ast.VariableDefinition{
				Variable: rename(def.Variable), Type: def.Type, DefaultValue: def.DefaultValue})
		}
		args := make(ast.ArgumentList, len(inner.Arguments))
		for j, a := range inner.Arguments {
			args[j] = &ast.Argument{Name: a.Name, Value: renameVars(a.Value, rename)}
		}
		field.SelectionSet = append(field.SelectionSet, &ast.Field{
			Alias: alias, Name: inner.Name, Arguments: args, SelectionSet: inner.SelectionSet})
	}
	out.SelectionSet = ast.SelectionSet{field}
	var b bytes.Buffer
	formatter.NewFormatter(&b).FormatQueryDocument(&ast.QueryDocument{Operations: ast.OperationList{out}})
	return b.String(), nil
}

// renameVars copies v with its variables renamed.
func renameVars(v *ast.Value, rename func(string) string) *ast.Value {
	if v == nil {
		return nil
	}
	c := &ast.Value{Kind: v.Kind, Raw: v.Raw}
	if v.Kind == ast.Variable {
		c.Raw = rename(v.Raw)
	}
	for _, ch := range v.Children {
		c.Children = append(c.Children, &ast.ChildValue{Name: ch.Name, Value: renameVars(ch.Value, rename)})
	}
	return c
}

// eachAlone runs fn for every index, concurrently: the per-item fallback
// of an aliased call.
func eachAlone(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i)
		}()
	}
	wg.Wait()
}
