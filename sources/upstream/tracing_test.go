package upstream_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"switchboard/sources/upstream"
)

func TestUpstreamSpanAndTraceparent(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev) })

	var traceparent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		traceparent = r.Header.Get("Traceparent")
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	c := &upstream.Client{Source: "test", BaseURL: srv.URL}
	ctx, parent := tp.Tracer("test").Start(context.Background(), "graphql")
	_, _ = c.Do(ctx, &upstream.Request{Operation: "op", Method: "GET", Path: "/"})
	parent.End()

	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("spans = %d, want the upstream span and its parent", len(spans))
	}
	up := spans[0]
	if up.Name != "test op" || up.Parent.SpanID() != parent.SpanContext().SpanID() {
		t.Fatalf("span %q parent %v, want child of the GraphQL span", up.Name, up.Parent.SpanID())
	}
	want := map[attribute.Key]attribute.Value{
		"upstream.source": attribute.StringValue("test"), "upstream.operation": attribute.StringValue("op"),
		"http.response.status_code": attribute.IntValue(418),
	}
	for _, kv := range up.Attributes {
		if v, ok := want[kv.Key]; ok && v != kv.Value {
			t.Errorf("%s = %v, want %v", kv.Key, kv.Value, v)
		}
		delete(want, kv.Key)
	}
	if len(want) != 0 {
		t.Errorf("missing attributes %v", want)
	}
	if traceparent == "" || traceparent[3:35] != parent.SpanContext().TraceID().String() {
		t.Errorf("traceparent %q does not carry trace %s", traceparent, parent.SpanContext().TraceID())
	}
}
