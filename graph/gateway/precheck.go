package gateway

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
)

// DefaultMaxTokens bounds how many lexical tokens a document may hold
// (SWITCHBOARD_MAX_TOKENS): parsing stops there, so a 1 MiB document costs
// no more than a 15 000-token one.
const DefaultMaxTokens = 15000

// Some validation rules (overlapping fields) compare every pair of fields
// of one response name, and a document under the token limit can still hold
// thousands: 7 000 `__typename` take seconds to validate. The document is
// measured before validation and refused over these bounds, which no real
// query approaches (GraphiQL's introspection query has under 100 selections,
// `name` 10 times).
const (
	maxSelections = 2000
	maxSameName   = 100
)

// precheck parses the document (with the token limit) and measures it
// before gqlgen validates it. It runs after the persisted-query extensions,
// which fill in the query text. A document already in the executor's cache
// was checked when it entered.
type precheck struct {
	maxTokens int
	cache     graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = precheck{}

func (precheck) ExtensionName() string                   { return "DocumentPrecheck" }
func (precheck) Validate(graphql.ExecutableSchema) error { return nil }

func (p precheck) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if params.Query == "" {
		return nil
	}
	if _, ok := p.cache.Get(ctx, params.Query); ok {
		return nil
	}
	// Counting tokens costs a fraction of building the tree: an oversized
	// document is refused before any of it is allocated.
	if overTokens(params.Query, p.maxTokens) {
		return tooComplex("document has more than %d tokens; the limit is %d", p.maxTokens, p.maxTokens)
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, p.maxTokens)
	if err != nil {
		gqe, ok := err.(*gqlerror.Error)
		if !ok {
			gqe = gqlerror.Wrap(err)
		}
		if strings.Contains(gqe.Message, "token limit") {
			return tooComplex("document has more than %d tokens; the limit is %d", p.maxTokens, p.maxTokens)
		}
		errcode.Set(gqe, errcode.ParseFailed)
		return gqe
	}
	var m docMeasure
	m.names = map[string]int{}
	for _, op := range doc.Operations {
		m.count(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		m.count(f.SelectionSet)
	}
	switch {
	case m.total > maxSelections:
		return tooComplex("document has %d selections; the limit is %d", m.total, maxSelections)
	case m.worst > maxSameName:
		return tooComplex("document selects %q %d times; the limit is %d", m.worstName, m.worst, maxSameName)
	}
	return nil
}

// overTokens tells whether q has more than limit lexical tokens, reading
// no further than that; a lexing error is left to the parser to report.
func overTokens(q string, limit int) bool {
	lx := lexer.New(&ast.Source{Input: q})
	for n := 0; ; n++ {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return false
		}
		if n >= limit {
			return true
		}
	}
}

// docMeasure counts the selections of a document as written (fragments
// once each) and how often one response name (or fragment spread) recurs.
type docMeasure struct {
	total, worst int
	worstName    string
	names        map[string]int
}

func (m *docMeasure) count(set ast.SelectionSet) {
	for _, sel := range set {
		m.total++
		var key string
		switch s := sel.(type) {
		case *ast.Field:
			key = s.Alias
			if key == "" {
				key = s.Name
			}
			m.count(s.SelectionSet)
		case *ast.InlineFragment:
			key = "... on " + s.TypeCondition
			m.count(s.SelectionSet)
		case *ast.FragmentSpread:
			key = "..." + s.Name
		}
		m.names[key]++
		if n := m.names[key]; n > m.worst {
			m.worst, m.worstName = n, shorten(key)
		}
	}
}

// shorten keeps an echoed name short: names come from the client.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
