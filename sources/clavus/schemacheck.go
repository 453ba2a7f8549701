package clavus

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"switchboard/sources/clavus/clavusgql"
	"switchboard/sources/upstream"
)

// Operations are the documents this client sends, as genqlient generated
// them; CheckSchema validates each against the live Clavus.
var Operations = map[string]string{
	opGetFolders:     clavusgql.GetFolders_Operation,
	opGetColumns:     clavusgql.GetColumns_Operation,
	opGetTeams:       clavusgql.GetTeams_Operation,
	opGetUsers:       clavusgql.GetUsers_Operation,
	opGetValuesByIDs: clavusgql.GetValuesByIds_Operation,
	opUpsertProspect: clavusgql.UpsertProspect_Operation,
}

const opIntrospection = "IntrospectionQuery"

// Retry delays of the live schema check: a refused introspection is asked
// again rarely, an unreachable Clavus soon.
const (
	introspectionRefusedRetry = 10 * time.Minute
	introspectionFailedRetry  = 30 * time.Second
)

// Adaptation is one variable declaration rewritten to the live schema.
type Adaptation struct {
	Operation, Argument, Ours, Theirs string
}

func (a Adaptation) String() string {
	return fmt.Sprintf("%s argument %s: declared %s, sent as %s", a.Operation, a.Argument, a.Ours, a.Theirs)
}

// Mismatch is an operation the live schema refuses and that cannot be
// adapted safely. Argument, Ours and Theirs are empty when the refusal is
// not about an argument's type (then Message says what).
type Mismatch struct {
	Operation, Argument, Ours, Theirs, Message string
}

func (m Mismatch) String() string {
	if m.Argument != "" {
		return fmt.Sprintf("%s argument %s: ours %s, Clavus's %s", m.Operation, m.Argument, m.Ours, m.Theirs)
	}
	return m.Operation + ": " + m.Message
}

// SchemaReport is the outcome of checking our operations against the live
// Clavus schema.
type SchemaReport struct {
	// Refused is why introspection gave no schema (nil when it did): the
	// operations are then sent as declared.
	Refused    error
	Adapted    []Adaptation
	Mismatches []Mismatch
}

// Err is non-nil when an operation cannot work against the live schema; it
// names each one.
func (r *SchemaReport) Err() error {
	if r == nil || len(r.Mismatches) == 0 {
		return nil
	}
	msgs := make([]string, len(r.Mismatches))
	for i, m := range r.Mismatches {
		msgs[i] = m.String()
	}
	return fmt.Errorf("clavus: the live schema refuses our operations: %s", strings.Join(msgs, "; "))
}

// Summary says in one line what the check found, for check-config.
func (r *SchemaReport) Summary() string {
	switch {
	case r == nil:
		return ""
	case r.Refused != nil:
		return "schema not checked (introspection refused: " + r.Refused.Error() + "); operations sent as declared"
	case len(r.Adapted) == 0:
		return "live schema matches our operations"
	}
	msgs := make([]string, len(r.Adapted))
	for i, a := range r.Adapted {
		msgs[i] = a.String()
	}
	return "adapted to the live schema: " + strings.Join(msgs, "; ")
}

// adapter is the graphql.Client genqlient calls: it rewrites each
// operation's variable declarations to the live schema's argument types
// (ID↔String; Int↔Float, whole numbers only), once per document, and
// refuses operations the live schema cannot run.
type adapter struct {
	next graphql.Client
	now  func() time.Time

	mu      sync.Mutex
	schema  *ast.Schema
	report  *SchemaReport
	retryAt time.Time
	docs    map[string]*adaptedDoc // by query text
	pruned  map[string]string      // by query text and absent variables
}

type adaptedDoc struct {
	query   string
	whole   []string // variables declared Float by us, Int by Clavus
	adapted []Adaptation
	mis     []Mismatch
}

func newAdapter(next graphql.Client) *adapter {
	return &adapter{next: next, now: time.Now, docs: map[string]*adaptedDoc{}, pruned: map[string]string{}}
}

// MakeRequest implements graphql.Client.
func (a *adapter) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	out := *req
	out.Query = a.prune(req.Query, req.Variables)
	doc := a.document(ctx, out.Query)
	if doc == nil {
		return a.next.MakeRequest(ctx, &out, resp)
	}
	if len(doc.mis) > 0 {
		return upstream.NewError(Source, req.OpName, upstream.KindRejected, 0,
			(&SchemaReport{Mismatches: doc.mis}).Err().Error(), nil, nil)
	}
	if err := checkWhole(req.OpName, req.Variables, doc.whole); err != nil {
		return err
	}
	out.Query = doc.query
	return a.next.MakeRequest(ctx, &out, resp)
}

// prune drops from query the variables genqlient omitted (omitempty) and
// the arguments they fill: an absent variable already means an absent
// argument, and without its declaration a guessed type (upsertProspect's
// $id on creation) cannot make Clavus refuse the document.
func (a *adapter) prune(query string, vars any) string {
	if vars == nil {
		return query
	}
	b, err := json.Marshal(vars)
	if err != nil {
		return query
	}
	var sent map[string]json.RawMessage
	if json.Unmarshal(b, &sent) != nil {
		return query
	}
	doc, perr := parser.ParseQuery(&ast.Source{Input: query})
	if perr != nil || len(doc.Operations) != 1 {
		return query
	}
	var absent []string
	for _, v := range doc.Operations[0].VariableDefinitions {
		if _, ok := sent[v.Variable]; !ok {
			absent = append(absent, v.Variable)
		}
	}
	if len(absent) == 0 {
		return query
	}
	key := query + "\x00" + strings.Join(absent, ",")
	a.mu.Lock()
	defer a.mu.Unlock()
	if q, ok := a.pruned[key]; ok {
		return q
	}
	op := doc.Operations[0]
	op.VariableDefinitions = slices.DeleteFunc(op.VariableDefinitions, func(v *ast.VariableDefinition) bool {
		return slices.Contains(absent, v.Variable)
	})
	dropArguments(op.SelectionSet, absent)
	var out bytes.Buffer
	formatter.NewFormatter(&out).FormatQueryDocument(doc)
	a.pruned[key] = out.String()
	return out.String()
}

// dropArguments removes the arguments (and input fields) set from the
// variables named.
func dropArguments(set ast.SelectionSet, vars []string) {
	isAbsent := func(v *ast.Value) bool { return v != nil && v.Kind == ast.Variable && slices.Contains(vars, v.Raw) }
	var inValue func(v *ast.Value)
	inValue = func(v *ast.Value) {
		if v == nil {
			return
		}
		v.Children = slices.DeleteFunc(v.Children, func(c *ast.ChildValue) bool { return v.Kind == ast.ObjectValue && isAbsent(c.Value) })
		for _, c := range v.Children {
			inValue(c.Value)
		}
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			s.Arguments = slices.DeleteFunc(s.Arguments, func(a *ast.Argument) bool { return isAbsent(a.Value) })
			for _, a := range s.Arguments {
				inValue(a.Value)
			}
			dropArguments(s.SelectionSet, vars)
		case *ast.InlineFragment:
			dropArguments(s.SelectionSet, vars)
		}
	}
}

// document is query adapted to the live schema, or nil when there is no
// live schema to adapt to.
func (a *adapter) document(ctx context.Context, query string) *adaptedDoc {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ensureLocked(ctx, false)
	if a.schema == nil {
		return nil
	}
	if d, ok := a.docs[query]; ok {
		return d
	}
	d := adaptDocument(a.schema, query)
	a.docs[query] = d
	return d
}

// check introspects Clavus now and validates every operation.
func (a *adapter) check(ctx context.Context) *SchemaReport {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ensureLocked(ctx, true)
	return a.report
}

// status is the last check's report (nil before any).
func (a *adapter) status() *SchemaReport {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.report
}

// ensureLocked introspects when forced, never done, or due for a retry.
func (a *adapter) ensureLocked(ctx context.Context, force bool) {
	if !force && (a.schema != nil || (a.report != nil && a.now().Before(a.retryAt))) {
		return
	}
	sdl, err := introspect(ctx, a.next)
	if err != nil {
		a.report = &SchemaReport{Refused: err}
		a.retryAt = a.now().Add(introspectionFailedRetry)
		if ue, ok := upstream.AsError(err); ok && ue.Kind == upstream.KindRejected {
			a.retryAt = a.now().Add(introspectionRefusedRetry)
		}
		if a.schema != nil {
			// Keep adapting to the schema seen last: a passing outage
			// is no reason to fall back to our guesses.
			a.report.Refused = fmt.Errorf("%w (adapting to the schema introspected before)", err)
		}
		return
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "clavus-live.graphql", Input: sdl})
	if gerr != nil {
		a.report = &SchemaReport{Refused: fmt.Errorf("introspected schema is invalid: %w", gerr)}
		a.retryAt = a.now().Add(introspectionRefusedRetry)
		return
	}
	a.schema, a.docs = schema, map[string]*adaptedDoc{}
	r := &SchemaReport{}
	for _, name := range slices.Sorted(maps.Keys(Operations)) {
		d := adaptDocument(schema, Operations[name])
		a.docs[Operations[name]] = d
		r.Adapted = append(r.Adapted, d.adapted...)
		r.Mismatches = append(r.Mismatches, d.mis...)
	}
	a.report = r
}

// adaptDocument validates query against schema, rewriting the variable
// declarations that differ from their arguments only by an adaptable
// scalar.
func adaptDocument(schema *ast.Schema, query string) *adaptedDoc {
	doc, perr := parser.ParseQuery(&ast.Source{Input: query})
	if perr != nil {
		return &adaptedDoc{mis: []Mismatch{{Operation: "?", Message: perr.Error()}}}
	}
	opName := "?"
	if len(doc.Operations) > 0 {
		opName = doc.Operations[0].Name
	}
	out := &adaptedDoc{query: query}
	// Validation fills each value's expected type and variable definition;
	// its errors are read after the rewrite.
	validator.Validate(schema, doc)
	changed := false
	seen := map[*ast.VariableDefinition]bool{}
	visitVariables(doc, func(v *ast.Value, arg string) {
		def := v.VariableDefinition
		if def == nil || v.ExpectedType == nil || seen[def] {
			return
		}
		seen[def] = true
		ours, theirs := def.Type, v.ExpectedType
		if compatible(ours, theirs) {
			return
		}
		adapted, whole, ok := adaptType(ours, theirs)
		if !ok {
			out.mis = append(out.mis, Mismatch{Operation: opName, Argument: arg, Ours: ours.String(), Theirs: theirs.String()})
			return
		}
		out.adapted = append(out.adapted, Adaptation{Operation: opName, Argument: arg, Ours: ours.String(), Theirs: adapted.String()})
		if whole {
			out.whole = append(out.whole, def.Variable)
		}
		def.Type = adapted
		changed = true
	})
	if len(out.mis) > 0 {
		return out
	}
	if changed {
		var b bytes.Buffer
		formatter.NewFormatter(&b).FormatQueryDocument(doc)
		out.query = b.String()
	}
	again, perr := parser.ParseQuery(&ast.Source{Input: out.query})
	if perr != nil {
		out.mis = append(out.mis, Mismatch{Operation: opName, Message: perr.Error()})
		return out
	}
	for _, e := range validator.Validate(schema, again) {
		out.mis = append(out.mis, Mismatch{Operation: opName, Message: e.Message})
	}
	return out
}

// visitVariables calls fn for each variable used as (or inside) a field
// argument, with the argument's name.
func visitVariables(doc *ast.QueryDocument, fn func(v *ast.Value, arg string)) {
	var value func(v *ast.Value, arg string)
	value = func(v *ast.Value, arg string) {
		if v == nil {
			return
		}
		if v.Kind == ast.Variable {
			fn(v, arg)
			return
		}
		for _, c := range v.Children {
			value(c.Value, arg)
		}
	}
	var selections func(set ast.SelectionSet)
	selections = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				for _, a := range s.Arguments {
					value(a.Value, a.Name)
				}
				selections(s.SelectionSet)
			case *ast.InlineFragment:
				selections(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		selections(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		selections(f.SelectionSet)
	}
}

// compatible is GraphQL's rule for a variable in an argument position
// (nullability may be stricter on our side; named types must be equal).
func compatible(ours, theirs *ast.Type) bool {
	if theirs.NonNull && !ours.NonNull {
		return false
	}
	if ours.Elem != nil || theirs.Elem != nil {
		return ours.Elem != nil && theirs.Elem != nil && compatible(ours.Elem, theirs.Elem)
	}
	return ours.NamedType == theirs.NamedType
}

// adaptType is ours with the scalar at the bottom replaced by theirs when
// the two differ only by ID↔String or Int↔Float; whole reports Float→Int
// (the values must then be whole numbers).
func adaptType(ours, theirs *ast.Type) (adapted *ast.Type, whole, ok bool) {
	if theirs.NonNull && !ours.NonNull {
		return nil, false, false
	}
	if (ours.Elem == nil) != (theirs.Elem == nil) {
		return nil, false, false
	}
	if ours.Elem != nil {
		elem, w, ok := adaptType(ours.Elem, theirs.Elem)
		if !ok {
			return nil, false, false
		}
		return &ast.Type{Elem: elem, NonNull: ours.NonNull}, w, true
	}
	pair := ours.NamedType + "→" + theirs.NamedType
	switch pair {
	case "ID→String", "String→ID", "Int→Float", "Float→Int":
		return &ast.Type{NamedType: theirs.NamedType, NonNull: ours.NonNull}, pair == "Float→Int", true
	}
	if ours.NamedType == theirs.NamedType {
		return &ast.Type{NamedType: ours.NamedType, NonNull: ours.NonNull}, false, true
	}
	return nil, false, false
}

// wholeFields names the variables checked by checkWhole as callers know them.
var wholeFields = map[string]string{"puissanceKc": "powerKWc"}

// checkWhole refuses, before any call, a number Clavus takes as Int that
// is not a whole 32-bit number.
func checkWhole(op string, vars any, names []string) error {
	if len(names) == 0 || vars == nil {
		return nil
	}
	b, err := json.Marshal(vars)
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil
	}
	for _, name := range names {
		raw, ok := m[name]
		if !ok || string(raw) == "null" {
			continue
		}
		var nums []float64
		var one float64
		if json.Unmarshal(raw, &one) == nil {
			nums = []float64{one}
		} else if json.Unmarshal(raw, &nums) != nil {
			continue
		}
		for _, f := range nums {
			if f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
				return badInput(op, cmp.Or(wholeFields[name], name), "this Clavus takes whole numbers only")
			}
		}
	}
	return nil
}

// introspectionQuery asks what an SDL needs.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types {
      kind name description
      fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } }
      inputFields { ...InputValue }
      interfaces { name }
      enumValues(includeDeprecated: true) { name description }
      possibleTypes { name }
    }
  }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }
}`

type introType struct {
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Fields      []struct {
		Name        string       `json:"name"`
		Description string       `json:"description"`
		Args        []introValue `json:"args"`
		Type        *introRef    `json:"type"`
	} `json:"fields"`
	InputFields   []introValue `json:"inputFields"`
	Interfaces    []introRef   `json:"interfaces"`
	EnumValues    []introEnum  `json:"enumValues"`
	PossibleTypes []introRef   `json:"possibleTypes"`
}

type introValue struct {
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	Type         *introRef `json:"type"`
	DefaultValue *string   `json:"defaultValue"`
}

type introEnum struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type introRef struct {
	Kind   string    `json:"kind"`
	Name   string    `json:"name"`
	OfType *introRef `json:"ofType"`
}

type introSchema struct {
	QueryType        *introRef   `json:"queryType"`
	MutationType     *introRef   `json:"mutationType"`
	SubscriptionType *introRef   `json:"subscriptionType"`
	Types            []introType `json:"types"`
}

// introspect asks Clavus its schema and returns it as SDL.
func introspect(ctx context.Context, c graphql.Client) (string, error) {
	var data struct {
		Schema *introSchema `json:"__schema"`
	}
	err := c.MakeRequest(ctx, &graphql.Request{OpName: opIntrospection, Query: introspectionQuery}, &graphql.Response{Data: &data})
	var pe *PartialError
	if err != nil && !errors.As(err, &pe) {
		return "", err
	}
	if data.Schema == nil || data.Schema.QueryType == nil {
		return "", upstream.NewError(Source, opIntrospection, upstream.KindInvalidResponse, 0, "introspection answered no schema", nil, err)
	}
	return introspectionSDL(data.Schema)
}

// builtIn are the types every GraphQL schema has (gqlparser adds them).
var builtIn = map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}

// introspectionSDL writes an introspected schema as SDL.
func introspectionSDL(s *introSchema) (string, error) {
	doc := &ast.SchemaDocument{}
	ops := ast.OperationTypeDefinitionList{{Operation: ast.Query, Type: s.QueryType.Name}}
	if s.MutationType != nil {
		ops = append(ops, &ast.OperationTypeDefinition{Operation: ast.Mutation, Type: s.MutationType.Name})
	}
	if s.SubscriptionType != nil {
		ops = append(ops, &ast.OperationTypeDefinition{Operation: ast.Subscription, Type: s.SubscriptionType.Name})
	}
	doc.Schema = ast.SchemaDefinitionList{{OperationTypes: ops}}
	for _, t := range s.Types {
		if strings.HasPrefix(t.Name, "__") || builtIn[t.Name] {
			continue
		}
		def := &ast.Definition{Kind: ast.DefinitionKind(t.Kind), Name: t.Name, Description: t.Description}
		for _, f := range t.Fields {
			fd := &ast.FieldDefinition{Name: f.Name, Description: f.Description, Type: refType(f.Type)}
			for _, a := range f.Args {
				fd.Arguments = append(fd.Arguments, &ast.ArgumentDefinition{Name: a.Name, Description: a.Description,
					Type: refType(a.Type), DefaultValue: defaultValue(a.DefaultValue)})
			}
			def.Fields = append(def.Fields, fd)
		}
		for _, f := range t.InputFields {
			def.Fields = append(def.Fields, &ast.FieldDefinition{Name: f.Name, Description: f.Description,
				Type: refType(f.Type), DefaultValue: defaultValue(f.DefaultValue)})
		}
		for _, i := range t.Interfaces {
			def.Interfaces = append(def.Interfaces, i.Name)
		}
		for _, e := range t.EnumValues {
			def.EnumValues = append(def.EnumValues, &ast.EnumValueDefinition{Name: e.Name, Description: e.Description})
		}
		if def.Kind == ast.Union {
			for _, p := range t.PossibleTypes {
				def.Types = append(def.Types, p.Name)
			}
		}
		doc.Definitions = append(doc.Definitions, def)
	}
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchemaDocument(doc)
	return b.String(), nil
}

func refType(r *introRef) *ast.Type {
	switch {
	case r == nil:
		return ast.NamedType("String", nil)
	case r.Kind == "NON_NULL":
		t := refType(r.OfType)
		t.NonNull = true
		return t
	case r.Kind == "LIST":
		return ast.ListType(refType(r.OfType), nil)
	}
	return ast.NamedType(r.Name, nil)
}

// defaultValue parses an introspected default (GraphQL literal text).
func defaultValue(s *string) *ast.Value {
	if s == nil {
		return nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: "{ f(v: " + *s + ") }"})
	if err != nil || len(doc.Operations) != 1 {
		return nil
	}
	f, ok := doc.Operations[0].SelectionSet[0].(*ast.Field)
	if !ok || len(f.Arguments) != 1 {
		return nil
	}
	return f.Arguments[0].Value
}
