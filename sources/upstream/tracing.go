package upstream

import (
	"context"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// tracerName names the kit's spans; with no OpenTelemetry SDK installed the
// global tracer is a no-op and this costs nothing.
const tracerName = "switchboard/sources"

// startSpan opens the client span of one upstream attempt and injects the
// W3C trace context into the outgoing headers.
func startSpan(ctx context.Context, source, op string, hr *http.Request) (context.Context, trace.Span) {
	ctx, span := otel.Tracer(tracerName).Start(ctx, source+" "+op,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(
			attribute.String("upstream.source", source),
			attribute.String("upstream.operation", op),
			attribute.String("http.request.method", hr.Method),
		))
	propagation.TraceContext{}.Inject(ctx, propagation.HeaderCarrier(hr.Header))
	return ctx, span
}

// endSpan records the answer (status 0: no response) and closes the span.
func endSpan(span trace.Span, status int, err error) {
	if status != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", status))
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	} else if status >= 400 {
		span.SetStatus(codes.Error, "HTTP "+strconv.Itoa(status))
	}
	span.End()
}
