package resolvers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"switchboard/generated"
	"switchboard/graph/errs"
	"switchboard/resolvers"
)

// newClient runs the schema in process over r, with the gateway's error
// presenter and every scope granted (auth has its own tests).
func newClient(r *resolvers.Resolver) *client.Client {
	allow := func(ctx context.Context, _ any, next graphql.Resolver, _ string) (any, error) { return next(ctx) }
	es := generated.NewExecutableSchema(generated.Config{Resolvers: r, Directives: generated.DirectiveRoot{Scope: allow}})
	srv := handler.New(es)
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(errs.Presenter)
	return client.New(srv)
}

// TestSources: the sources query reports what the composition root handed
// in, in its order.
func TestSources(t *testing.T) {
	c := newClient(&resolvers.Resolver{Sources: []resolvers.Source{{Name: "mmp", Configured: true, Sandbox: true}, {Name: "shop"}}})
	var resp struct {
		Sources []struct {
			Name       string
			Configured bool
			Sandbox    bool
		}
	}
	c.MustPost(`{ sources { name configured sandbox } }`, &resp)
	if len(resp.Sources) != 2 || resp.Sources[0].Name != "MMP" || !resp.Sources[0].Sandbox || resp.Sources[1].Name != "SHOP" || resp.Sources[1].Configured {
		t.Fatalf("sources %+v", resp.Sources)
	}
}

// TestNotConfigured: a source without a service answers NOT_CONFIGURED
// naming it, beside null.
func TestNotConfigured(t *testing.T) {
	c := newClient(&resolvers.Resolver{})
	cases := []struct{ query, source string }{
		{`{ vehicle(plate: "AB123CD") { plate } }`, "mmp"},
		{`{ interfaces { key } }`, "shop"},
		{`{ calls { __typename } }`, "gravitel"},
		{`mutation { notifyMsem(operations: [{type: CreateCustomer, customer: {id: "1", firstName: "A", lastName: "B", email: "a@b.c"}}]) { channel } }`, "msem"},
	}
	for _, tc := range cases {
		var resp map[string]any
		err := c.Post(tc.query, &resp)
		if err == nil || !strings.Contains(err.Error(), `"code":"NOT_CONFIGURED"`) || !strings.Contains(err.Error(), `"source":"`+tc.source+`"`) {
			t.Errorf("%s: %v, want NOT_CONFIGURED for %s", tc.query, err, tc.source)
		}
	}
}

// TestArgumentsChecked: bad arguments are BAD_USER_INPUT naming the
// argument, whatever the services.
func TestArgumentsChecked(t *testing.T) {
	c := newClient(&resolvers.Resolver{})
	var resp map[string]any
	err := c.Post(`subscription { heartbeat(seconds: 0, count: 1) }`, &resp)
	if err == nil || !strings.Contains(err.Error(), `"code":"BAD_USER_INPUT"`) || !strings.Contains(err.Error(), `"field":"seconds"`) {
		t.Fatalf("heartbeat(seconds: 0): %v", err)
	}
}
