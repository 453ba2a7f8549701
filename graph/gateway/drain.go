package gateway

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// endSubscriptions ends every subscription, running or yet to start, once
// shutdown is done: it cancels the subscription's resolver context, the
// resolver closes its stream, and the transport ends it with "complete"
// (WebSocket and SSE alike). Without it a stopping server waits on streams
// that never end by themselves (callEvents), holding the call store.
type endSubscriptions struct{ shutdown context.Context }

func (endSubscriptions) ExtensionName() string                   { return "EndSubscriptionsOnShutdown" }
func (endSubscriptions) Validate(graphql.ExecutableSchema) error { return nil }

func (e endSubscriptions) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if op := graphql.GetOperationContext(ctx).Operation; op == nil || op.Operation != ast.Subscription {
		return next(ctx)
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(e.shutdown, cancel)
	responses := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		r := responses(ctx)
		if r == nil {
			stop()
			cancel()
		}
		return r
	}
}
