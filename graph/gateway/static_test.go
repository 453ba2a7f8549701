package gateway

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
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

// TestStaticAnswersBounded: kept answers stop at the byte budget (each
// spelling of an introspection query would keep its own copy of the
// schema), and a request kept once is not counted twice.
func TestStaticAnswersBounded(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { a: String }`})
	doc, err := gqlparser.LoadQuery(schema, `{ __schema { queryType { name } } }`)
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Operations[0]
	s := newStaticAnswers(true, nil)
	data := []byte(`{"__schema":"` + strings.Repeat("x", 1<<20) + `"}`)
	keep := func(i int) {
		body := fmt.Appendf(nil, `{"query":"{ __schema { queryType { name } } }%s"}`, strings.Repeat(" ", i))
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		req.Header.Set("Content-Type", mediaJSON)
		req.Body = readBody{Reader: bytes.NewReader(body), bytes: body}
		s.keep(req, &graphql.RawParams{}, op, &graphql.Response{Data: data})
	}
	keep(0)
	keep(0)
	if len(s.answers) != 1 || s.bytes > 2*len(data) {
		t.Fatalf("kept %d answers, %d bytes, after the same request twice", len(s.answers), s.bytes)
	}
	for i := 1; i < 20; i++ {
		keep(i)
	}
	if s.bytes > maxStaticTotalBytes || len(s.answers) >= 20 {
		t.Errorf("kept %d answers of %d bytes: over the %d-byte budget", len(s.answers), s.bytes, maxStaticTotalBytes)
	}
}
