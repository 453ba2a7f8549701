// Package tracing wires OpenTelemetry: a span per GraphQL operation and per
// resolver method (the fields that may call an upstream), under which the
// source kit's upstream spans nest; and the OTLP exporter, installed only
// when OTEL_EXPORTER_OTLP_ENDPOINT is set (nothing is exported otherwise).
// Without a tracer provider (no exporter) no span is made, and resolver
// spans are made only under a sampled operation: a field's span and path
// string cost more than most warm fields.
package tracing

import (
	"context"
	"os"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const tracerName = "switchboard/graphql"

// tracer delegates to whichever provider is installed later (otel's global
// does), so it is looked up once, not per span.
var tracer = otel.Tracer(tracerName)

// unset is the global provider before anyone installs one: a no-op.
var unset = otel.GetTracerProvider()

// Enabled reports whether a tracer provider was installed (Setup with an
// exporter, or a test's).
func Enabled() bool { return otel.GetTracerProvider() != unset }

// Setup installs the OTLP exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set
// (the exporter reads the standard OTEL_* variables itself) and returns the
// function that flushes it on shutdown.
func Setup(ctx context.Context) (shutdown func(context.Context) error, err error) {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" {
		return func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}

// Extension is the gqlgen extension that opens the operation and resolver
// spans.
type Extension struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
	graphql.FieldInterceptor
} = Extension{}

// ExtensionName implements graphql.HandlerExtension.
func (Extension) ExtensionName() string { return "OpenTelemetry" }

// Validate implements graphql.HandlerExtension.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse opens the operation span.
func (Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !Enabled() || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	name, kind := oc.OperationName, "query"
	if oc.Operation != nil {
		kind = string(oc.Operation.Operation)
		if name == "" {
			name = oc.Operation.Name
		}
	}
	ctx, span := tracer.Start(ctx, "graphql."+kind+" "+name, trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("graphql.operation.type", kind), attribute.String("graphql.operation.name", name)))
	defer span.End()
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > 0 {
		span.SetAttributes(attribute.Int("graphql.errors", len(resp.Errors)))
		span.SetStatus(codes.Error, resp.Errors[0].Message)
	}
	return resp
}

// InterceptField opens a span for each resolver method under a recorded
// operation span; plain struct fields are not worth a span.
func (Extension) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	// The field context is the nearest value; the span may be at the
	// bottom of a deep context, so it is looked up for resolvers only.
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !fc.IsResolver || !trace.SpanFromContext(ctx).IsRecording() {
		return next(ctx)
	}
	ctx, span := tracer.Start(ctx, "resolve "+fc.Object+"."+fc.Field.Name,
		trace.WithAttributes(attribute.String("graphql.field.path", fc.Path().String())))
	defer span.End()
	res, err := next(ctx)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	return res, err
}
