package gateway

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestStaticDocuments(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { a: String } type Mutation { b: String }`})
	cases := []struct {
		doc                   string
		introspection, static bool
	}{
		{doc: `{ __typename }`, static: true},
		{doc: `query Ping { t: __typename __typename }`, static: true},
		{doc: `{ __schema { queryType { name } } }`, introspection: true, static: true},
		{doc: `{ __schema { queryType { name } } }`},
		{doc: `{ __type(name: "Query") { name } }`, introspection: true, static: true},
		{doc: `{ __typename a }`},
		{doc: `{ a }`},
		{doc: `mutation { __typename }`},
		{doc: `query($x: Boolean!) { __typename @include(if: $x) }`},
		{doc: `{ __typename @skip(if: true) }`},
		{doc: `{ ... on Query { __typename } }`},
	}
	for _, c := range cases {
		doc, err := gqlparser.LoadQuery(schema, c.doc)
		if err != nil {
			t.Fatalf("%s: %v", c.doc, err)
		}
		s := newStaticAnswers(c.introspection, nil)
		if got := s.static(doc.Operations[0]); got != c.static {
			t.Errorf("%s (introspection %v): static %v, want %v", c.doc, c.introspection, got, c.static)
		}
	}
}
