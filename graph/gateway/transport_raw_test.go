package gateway

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// stubExec answers every operation with resp.
type stubExec struct{ resp *graphql.Response }

func (s stubExec) CreateOperationContext(_ context.Context, p *graphql.RawParams) (*graphql.OperationContext, gqlerror.List) {
	return &graphql.OperationContext{RawQuery: p.Query, Doc: &ast.QueryDocument{}, Operation: &ast.OperationDefinition{Operation: ast.Query}}, nil
}

func (s stubExec) DispatchOperation(ctx context.Context, _ *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	return func(context.Context) *graphql.Response { return s.resp }, ctx
}

func (s stubExec) DispatchError(context.Context, gqlerror.List) *graphql.Response { return s.resp }

// A data-only answer is written as its bytes; any other goes through
// encoding/json; both are the same JSON encoding/json would write.
func TestPOSTWritesDataBytes(t *testing.T) {
	tests := []struct {
		name string
		resp *graphql.Response
	}{
		{"data only", &graphql.Response{Data: json.RawMessage(`{"interfaces":[{"key":"a"}]}`)}},
		{"data and errors", &graphql.Response{Data: json.RawMessage(`{"x":null}`), Errors: gqlerror.List{{Message: "boom"}}}},
		{"data and extensions", &graphql.Response{Data: json.RawMessage(`{"x":1}`), Extensions: map[string]any{"stale": true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ x }"}`))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			postTransport{}.Do(rec, req, stubExec{tt.resp})
			want, _ := json.Marshal(tt.resp)
			if strings.TrimSuffix(rec.Body.String(), "\n") != string(want) {
				t.Fatalf("body %s, want %s", rec.Body.String(), want)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Fatalf("Content-Type %q", ct)
			}
		})
	}
}
