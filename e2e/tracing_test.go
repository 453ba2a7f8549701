package e2e

import (
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// The span tree of one cross-source query: the operation span, resolver
// spans under it, and each upstream call under the resolver that made it.
func TestSpanTreeOfCrossSourceQuery(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev) })

	g := startGateway(t, nil)
	r := g.query(`query Mixed { vehicle(plate: "AB123CD") { plate forecasts { label } } prestation(code: "IN-ECO-S") { name } }`, nil)
	if len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	spans := exp.GetSpans()
	byID := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		byID[s.SpanContext.SpanID().String()] = s
	}
	// ancestry returns the names from a span up to the root.
	ancestry := func(name string) []string {
		for _, s := range spans {
			if s.Name != name {
				continue
			}
			var out []string
			for cur, ok := s, true; ok; cur, ok = byID[cur.Parent.SpanID().String()] {
				out = append(out, cur.Name)
			}
			return out
		}
		return nil
	}
	want := map[string][]string{
		// One list asked for: the plate probe in Query.vehicle fetches it.
		"mmp previsions":   {"mmp previsions", "resolve Query.vehicle", "graphql.query Mixed"},
		"shop prestations": {"shop prestations", "resolve Query.prestation", "graphql.query Mixed"},
	}
	for leaf, chain := range want {
		if got := ancestry(leaf); strings.Join(got, " < ") != strings.Join(chain, " < ") {
			t.Errorf("%s: ancestry %v, want %v", leaf, got, chain)
		}
	}
}
