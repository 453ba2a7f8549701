package metrics

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/graph/errs"
)

// testServer runs the extension on a hand-written executable schema: the
// query field "missing" fails NOT_FOUND, the subscription "broken" fails at
// setup, "tick" sends one event per value on ticks and ends when it closes.
func testServer(t *testing.T, ticks chan string) *httptest.Server {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
		type Query { ok: String, missing: String }
		type Subscription { tick: String, broken: String }
	`})
	es := &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			op := graphql.GetOperationContext(ctx).Operation
			field := op.SelectionSet[0].(*ast.Field).Name
			if op.Operation == ast.Subscription {
				if field == "broken" {
					graphql.AddError(ctx, errs.BadInput("user", "no such user"))
					return func(context.Context) *graphql.Response { return nil }
				}
				return func(context.Context) *graphql.Response {
					v, ok := <-ticks
					if !ok {
						return nil
					}
					return &graphql.Response{Data: []byte(`{"tick":"` + v + `"}`)}
				}
			}
			done := false
			return func(ctx context.Context) *graphql.Response {
				if done {
					return nil
				}
				done = true
				if field == "missing" {
					graphql.AddError(ctx, errs.NotFoundf("mmp", "nothing here"))
					return &graphql.Response{Data: []byte(`{"missing":null}`)}
				}
				return &graphql.Response{Data: []byte(`{"ok":"yes"}`)}
			}
		},
	}
	srv := handler.New(es)
	srv.AddTransport(transport.SSE{})
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(errs.Presenter)
	srv.Use(Extension{})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

func post(t *testing.T, url, query string) string {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(fmt.Sprintf(`{"query":%q}`, query)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = bufio.NewReader(resp.Body).WriteTo(&b)
	return b.String()
}

// sseRequest starts a subscription over SSE and returns its response.
func sseRequest(t *testing.T, ctx context.Context, url, query string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(fmt.Sprintf(`{"query":%q}`, query)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func durationCount(t *testing.T, operation, typ string) uint64 {
	t.Helper()
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "switchboard_graphql_operation_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, lp := range m.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			if l["operation"] == operation && l["type"] == typ {
				return m.GetHistogram().GetSampleCount()
			}
		}
	}
	return 0
}

func errorCount(operation, code string) float64 {
	return testutil.ToFloat64(errorsTotal.WithLabelValues(operation, code))
}

func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestOperationDurationAndErrors(t *testing.T) {
	ts := testServer(t, nil)
	ok0, anon0 := durationCount(t, "MetricsOK", "query"), durationCount(t, "anonymous", "query")
	missing0 := errorCount("MetricsMissing", errs.NotFound)
	invalid0 := errorCount("invalid", errs.BadUserInput)

	post(t, ts.URL, `query MetricsOK { ok }`)
	post(t, ts.URL, `query MetricsOK { ok }`)
	post(t, ts.URL, `{ ok }`)
	if body := post(t, ts.URL, `query MetricsMissing { missing }`); !strings.Contains(body, errs.NotFound) {
		t.Fatalf("body: %s", body)
	}
	if body := post(t, ts.URL, `query MetricsInvalid { nosuchfield }`); !strings.Contains(body, errs.BadUserInput) {
		t.Fatalf("body: %s", body)
	}

	if n := durationCount(t, "MetricsOK", "query") - ok0; n != 2 {
		t.Errorf("MetricsOK observed %d times, want 2", n)
	}
	if n := durationCount(t, "anonymous", "query") - anon0; n != 1 {
		t.Errorf("anonymous observed %d times, want 1", n)
	}
	if n := errorCount("MetricsMissing", errs.NotFound) - missing0; n != 1 {
		t.Errorf("MetricsMissing NOT_FOUND counted %v times, want 1", n)
	}
	// A document that does not validate has no operation to name, and never ran.
	if n := errorCount("invalid", errs.BadUserInput) - invalid0; n != 1 {
		t.Errorf("invalid BAD_USER_INPUT counted %v times, want 1", n)
	}
	if n := durationCount(t, "MetricsInvalid", "query"); n != 0 {
		t.Errorf("a refused query was timed %d times", n)
	}
}

func TestActiveSubscriptions(t *testing.T) {
	ticks := make(chan string)
	ts := testServer(t, ticks)
	base := testutil.ToFloat64(activeSubscriptions)
	active := func() float64 { return testutil.ToFloat64(activeSubscriptions) - base }

	// A stream that ends by itself.
	resp := sseRequest(t, context.Background(), ts.URL, `subscription MetricsTicks { tick }`)
	ticks <- "1"
	if n := active(); n != 1 {
		t.Fatalf("active = %v during the stream, want 1", n)
	}
	close(ticks)
	_, _ = bufio.NewReader(resp.Body).WriteTo(&strings.Builder{})
	resp.Body.Close()
	eventually(t, func() bool { return active() == 0 }, "the ended stream is still counted")

	// A setup failure is counted, and its stream is over at once.
	broken0 := errorCount("MetricsBroken", errs.BadUserInput)
	resp = sseRequest(t, context.Background(), ts.URL, `subscription MetricsBroken { broken }`)
	_, _ = bufio.NewReader(resp.Body).WriteTo(&strings.Builder{})
	resp.Body.Close()
	if n := errorCount("MetricsBroken", errs.BadUserInput) - broken0; n != 1 {
		t.Errorf("setup failure counted %v times, want 1", n)
	}
	eventually(t, func() bool { return active() == 0 }, "the failed subscription is still counted")
}

func TestClientLeavingEndsTheSubscription(t *testing.T) {
	// The resolver never notices the client left (it waits on ticks only):
	// the context ending alone must take the stream out of the gauge.
	ticks := make(chan string)
	ts := testServer(t, ticks)
	t.Cleanup(func() { close(ticks) }) // runs before the server's Close, which waits for the stream
	base := testutil.ToFloat64(activeSubscriptions)
	ctx, cancel := context.WithCancel(context.Background())
	resp := sseRequest(t, ctx, ts.URL, `subscription MetricsLeaver { tick }`)
	ticks <- "1"
	if n := testutil.ToFloat64(activeSubscriptions) - base; n != 1 {
		t.Fatalf("active = %v, want 1", n)
	}
	cancel()
	resp.Body.Close()
	eventually(t, func() bool { return testutil.ToFloat64(activeSubscriptions) == base }, "a gone client is still counted")
}

func TestOperationNamesAreCapped(t *testing.T) {
	names.mu.Lock()
	saved := names.seen
	names.seen = map[string]struct{}{}
	names.mu.Unlock()
	t.Cleanup(func() {
		names.mu.Lock()
		names.seen = saved
		names.mu.Unlock()
	})
	op := func(name string) *ast.OperationDefinition { return &ast.OperationDefinition{Name: name} }
	for i := range MaxOperationNames {
		if got := operationLabel(op(fmt.Sprint("Op", i))); got != fmt.Sprint("Op", i) {
			t.Fatalf("name %d labelled %q", i, got)
		}
	}
	if got := operationLabel(op("OneTooMany")); got != "other" {
		t.Fatalf("past the cap: %q, want other", got)
	}
	if got := operationLabel(op("Op7")); got != "Op7" {
		t.Fatalf("a known name past the cap: %q", got)
	}
	if got := operationLabel(op(strings.Repeat("x", maxNameLen+1))); got != "other" {
		t.Fatalf("long name: %q", got)
	}
	if got := operationLabel(op("")); got != "anonymous" {
		t.Fatalf("unnamed: %q", got)
	}
	if got := operationLabel(nil); got != "invalid" {
		t.Fatalf("no operation: %q", got)
	}
}
