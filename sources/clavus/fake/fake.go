// Package fake is an in-process Clavus ERP: a real GraphQL server for the
// upstream schema (sources/clavus/schema), parsing and validating each query
// with gqlparser and executing it over deterministic seeded data.
//
// Behaviour, following the Clavus guide:
//   - every request needs "Authorization: Bearer <key>"; otherwise HTTP 401
//     with {"errors":[{"message":"Unauthorized","extensions":{"code":"UNAUTHENTICATED"}}]};
//   - queries that do not parse or validate answer HTTP 400 with GraphQL
//     errors (codes GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED,
//     BAD_USER_INPUT for variables), as Apollo Server does;
//   - resolver errors answer HTTP 200 with "errors" and whatever "data"
//     survives null propagation (getValuesByIds gives partial data: an unknown
//     id is a null item plus a NOT_FOUND error);
//   - page starts at 1, itemParPage is 1..200;
//   - search, filterColumns and sortBy behave as described in search.go;
//   - updating a converted prospect is refused with ConvertedMessage;
//   - introspection (__schema, __type) answers the schema it serves, as the
//     real Clavus's Playground needs, unless Options.NoIntrospection.
//
// The guide shows literals only, so the fake serves either reading of what it
// leaves open (Options): argument types (ids as ID or String, puissanceKc as
// Float or Int), column key style (flat keys such as "telephone", accepted
// with labels; or dotted keys such as "client.telephone" under other labels,
// refusing labels), and phones stored as typed in every common form. It may
// also refuse introspection (NoIntrospection) or aliases (NoAliases).
//
// Knobs count each served root field under its name: "getFolders",
// "getColumns", "getTeams", "getUsers", "getValuesByIds", "upsertProspect".
package fake

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator"

	clavusschema "switchboard/sources/clavus/schema"
	"switchboard/sources/internal/fakekit"
)

// DefaultAPIKey is the key accepted when Options.APIKey is empty.
const DefaultAPIKey = "clavus-sandbox-key"

// ConvertedMessage is the error message of an update of a converted
// prospect. The guide only says such updates are refused; the wording is ours.
const ConvertedMessage = "Impossible de mettre à jour un prospect converti."

// Typing is how the fake declares the arguments the guide shows only as
// literals.
type Typing int

const (
	// TypingIDFloat declares ids ID and puissanceKc Float (the default).
	TypingIDFloat Typing = iota
	// TypingStringInt declares ids String and puissanceKc Int.
	TypingStringInt
)

// KeyStyle is how columns are keyed and labelled.
type KeyStyle int

const (
	// KeysFlat: keys such as "telephone", "dateCreation"; columns, filters
	// and sorts accept an id, a key or a label (the default).
	KeysFlat KeyStyle = iota
	// KeysDotted: keys such as "client.telephone", "dossier.dateCreation",
	// other labels ("Tél. client", "Créé le"); columns, filters and sorts
	// accept an id or a key only ("Unknown column" for a label).
	KeysDotted
)

// Options configure a fake.
type Options struct {
	APIKey  string // accepted bearer key; DefaultAPIKey when empty
	Seed    int64  // seed of the generated data
	Folders int    // number of folders; 2000 when zero

	Typing Typing
	// ArgTypes overrides argument types, e.g. {"getUsers.teamId": "Int"}
	// (field.argument → GraphQL type), after Typing.
	ArgTypes map[string]string
	Keys     KeyStyle
	// PhoneForms stores folder phones in turn as 0612345678,
	// 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78 and 33612345678
	// (by default every phone is stored as 0612345678).
	PhoneForms bool
	// NoIntrospection refuses __schema and __type, as production GraphQL
	// servers often do.
	NoIntrospection bool
	// NoAliases refuses (HTTP 400) any document that aliases a field, as
	// servers bounding query cost may; the request is still Received.
	NoAliases bool
}

// Received is one request the fake accepted (authenticated and parsed).
type Received struct {
	OperationName string
	Query         string
	Variables     map[string]any
}

// Server is the fake Clavus GraphQL endpoint; it answers on any path.
type Server struct {
	Knobs *fakekit.Knobs

	apiKey  string
	schema  *ast.Schema
	handler http.Handler
	opts    Options

	mu       sync.Mutex
	data     *dataset
	received []Received
}

// loadSchema is the documented schema with the argument types of opts.
func loadSchema(opts Options) *ast.Schema {
	s := gqlparser.MustLoadSchema(&ast.Source{Name: "schema.graphql", Input: clavusschema.SDL})
	for _, def := range s.Types {
		if def.BuiltIn {
			continue
		}
		for _, f := range def.Fields {
			for _, a := range f.Arguments {
				if opts.Typing == TypingStringInt {
					retype(a.Type, map[string]string{"ID": "String", "Float": "Int"})
				}
				if t, ok := opts.ArgTypes[f.Name+"."+a.Name]; ok {
					a.Type = ast.NamedType(t, nil)
				}
			}
		}
	}
	return s
}

// retype renames the named type at the bottom of t.
func retype(t *ast.Type, names map[string]string) {
	for t.Elem != nil {
		t = t.Elem
	}
	if n, ok := names[t.NamedType]; ok {
		t.NamedType = n
	}
}

// New builds a fake seeded from opts.
func New(opts Options) *Server {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.Folders <= 0 {
		opts.Folders = 2000
	}
	s := &Server{Knobs: &fakekit.Knobs{}, apiKey: opts.APIKey, schema: loadSchema(opts), opts: opts}
	s.data = generate(opts.Seed, opts.Folders, opts.PhoneForms)
	s.handler = s.Knobs.Wrap(http.HandlerFunc(s.serve))
	return s
}

// APIKey is the bearer key the fake accepts.
func (s *Server) APIKey() string { return s.apiKey }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Received returns the requests accepted so far, oldest first.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

type gqlResponse struct {
	Data   any           `json:"data"`
	Errors gqlerror.List `json:"errors,omitempty"`
}

type errorsOnly struct {
	Errors gqlerror.List `json:"errors"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (s *Server) authorized(r *http.Request) bool {
	tok := fakekit.Bearer(r)
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.apiKey)) == 1
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeJSON(w, http.StatusUnauthorized, errorsOnly{gqlerror.List{codeErr("UNAUTHENTICATED", "Unauthorized")}})
		return
	}
	var req gqlRequest
	switch r.Method {
	case http.MethodPost:
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		dec.UseNumber()
		if err := dec.Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, errorsOnly{gqlerror.List{codeErr("BAD_REQUEST", "invalid JSON body: %v", err)}})
			return
		}
	case http.MethodGet:
		q := r.URL.Query()
		req.Query, req.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			dec := json.NewDecoder(strings.NewReader(v))
			dec.UseNumber()
			if err := dec.Decode(&req.Variables); err != nil {
				writeJSON(w, http.StatusBadRequest, errorsOnly{gqlerror.List{codeErr("BAD_REQUEST", "invalid variables: %v", err)}})
				return
			}
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, errorsOnly{gqlerror.List{codeErr("BAD_REQUEST", "method not allowed")}})
		return
	}
	if strings.TrimSpace(req.Query) == "" {
		writeJSON(w, http.StatusBadRequest, errorsOnly{gqlerror.List{codeErr("BAD_REQUEST", "GraphQL operations must contain a non-empty `query`")}})
		return
	}
	doc, errs := gqlparser.LoadQuery(s.schema, req.Query)
	if len(errs) > 0 {
		code := "GRAPHQL_VALIDATION_FAILED"
		for _, e := range errs {
			if e.Rule == "" {
				code = "GRAPHQL_PARSE_FAILED"
			}
			e.Extensions = map[string]any{"code": code}
		}
		writeJSON(w, http.StatusBadRequest, errorsOnly{errs})
		return
	}
	op := doc.Operations.ForName(req.OperationName)
	if op == nil {
		writeJSON(w, http.StatusBadRequest, errorsOnly{gqlerror.List{codeErr("BAD_REQUEST", "operation %q not found or ambiguous", req.OperationName)}})
		return
	}
	if s.opts.NoIntrospection && introspects(op.SelectionSet) {
		writeJSON(w, http.StatusBadRequest, errorsOnly{gqlerror.List{codeErr("GRAPHQL_VALIDATION_FAILED",
			"GraphQL introspection is not allowed, but the query contained __schema or __type")}})
		return
	}
	if r.Method == http.MethodGet && op.Operation != ast.Query {
		writeJSON(w, http.StatusMethodNotAllowed, errorsOnly{gqlerror.List{codeErr("BAD_REQUEST", "mutations need POST")}})
		return
	}
	vars, err := validator.VariableValues(s.schema, op, req.Variables)
	if err != nil {
		ge := asGQLError(err)
		ge.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
		writeJSON(w, http.StatusBadRequest, errorsOnly{gqlerror.List{ge}})
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.received = append(s.received, Received{OperationName: op.Name, Query: req.Query, Variables: req.Variables})
	if s.opts.NoAliases && aliases(op.SelectionSet) {
		writeJSON(w, http.StatusBadRequest, errorsOnly{gqlerror.List{codeErr("GRAPHQL_VALIDATION_FAILED", "Aliases are not allowed")}})
		return
	}
	ex := &executor{schema: s.schema, vars: vars}
	var root obj
	rootType := "Query"
	if op.Operation == ast.Mutation {
		root, rootType = s.mutationRoot(), "Mutation"
	} else {
		root = s.queryRoot()
	}
	var data any
	if m, ok := ex.object(root, rootType, op.SelectionSet, nil); ok {
		data = m
	}
	writeJSON(w, http.StatusOK, gqlResponse{Data: data, Errors: ex.errs})
}

// aliases reports whether a selection aliases a field (gqlparser sets an
// unaliased field's Alias to its name).
func aliases(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != s.Name || aliases(s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if aliases(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && aliases(s.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}
