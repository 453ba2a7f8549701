// Package errs maps every failure to a GraphQL error carrying one of the
// codes fixed by DESIGN.md in extensions.code, plus extensions.source when
// an upstream is involved. Resolvers return plain Go errors; the presenter
// installed on the server does the mapping, so no resolver formats errors.
package errs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"switchboard/sources/upstream"
)

// Codes fixed by DESIGN.md.
const (
	BadUserInput            = "BAD_USER_INPUT"
	Unauthenticated         = "UNAUTHENTICATED"
	Forbidden               = "FORBIDDEN"
	NotFound                = "NOT_FOUND"
	NotConfigured           = "NOT_CONFIGURED"
	RateLimited             = "RATE_LIMITED"
	UpstreamTimeout         = "UPSTREAM_TIMEOUT"
	UpstreamUnavailable     = "UPSTREAM_UNAVAILABLE"
	UpstreamRejected        = "UPSTREAM_REJECTED"
	UpstreamInvalidResponse = "UPSTREAM_INVALID_RESPONSE"
	QueryTooComplex         = "QUERY_TOO_COMPLEX"
	Internal                = "INTERNAL"
)

// Error is a gateway error with a code, for failures the gateway itself
// detects (bad input, missing configuration, limits).
type Error struct {
	Code    string
	Message string
	Source  string // set when the error concerns one upstream
	Field   string // the offending argument, for BAD_USER_INPUT
	Rule    string // the business rule broken, for BAD_USER_INPUT
	// Outcome is "UNKNOWN" when a side effect may or may not have happened.
	Outcome string
}

func (e *Error) Error() string { return e.Message }

// BadInput reports an invalid argument, naming it.
func BadInput(field, format string, args ...any) error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf reports that the thing asked for does not exist.
func NotFoundf(source, format string, args ...any) error {
	return &Error{Code: NotFound, Source: source, Message: fmt.Sprintf(format, args...)}
}

// NotConfiguredErr reports a source whose variables are absent.
func NotConfiguredErr(source string) error {
	return &Error{Code: NotConfigured, Source: source, Message: source + " is not configured on this gateway"}
}

// Code returns the GraphQL code for err and the upstream involved, if any.
func Code(err error) (code, source string) {
	var ge *Error
	if errors.As(err, &ge) {
		return ge.Code, ge.Source
	}
	if ue, ok := asUpstream(err); ok {
		return kindCode(ue.UpstreamKind()), ue.UpstreamSource()
	}
	var ie *upstream.InputError
	if errors.As(err, &ie) {
		return BadUserInput, ""
	}
	var gqe *gqlerror.Error
	if errors.As(err, &gqe) && gqe.Extensions != nil {
		if c, ok := gqe.Extensions["code"].(string); ok {
			s, _ := gqe.Extensions["source"].(string)
			return c, s
		}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return UpstreamTimeout, ""
	case errors.Is(err, context.Canceled):
		return UpstreamUnavailable, ""
	}
	return Internal, ""
}

// kindCode maps an upstream failure kind. An upstream that refuses the
// gateway's own credentials is unusable rather than refusing the caller's
// request, hence UPSTREAM_UNAVAILABLE for KindUnauthorized.
func kindCode(kind upstream.Kind) string {
	switch kind {
	case upstream.KindTimeout:
		return UpstreamTimeout
	case upstream.KindRejected:
		return UpstreamRejected
	case upstream.KindInvalidResponse:
		return UpstreamInvalidResponse
	case upstream.KindNotFound:
		return NotFound
	case upstream.KindBadInput:
		return BadUserInput
	default:
		return UpstreamUnavailable
	}
}

// UpstreamError is what an error about one upstream call offers: the
// source kit's *upstream.Error, and graph/cache's wait for a fetch.
type UpstreamError interface {
	error
	UpstreamSource() string
	UpstreamOperation() string
	UpstreamKind() upstream.Kind
	UpstreamStatus() int
	UpstreamMessage() string
}

func asUpstream(err error) (UpstreamError, bool) {
	var ue UpstreamError
	if errors.As(err, &ue) {
		return ue, true
	}
	return nil, false
}

// Presenter is the gqlgen error presenter: it fills extensions.code (and
// extensions.source), and hides the text of internal errors.
func Presenter(ctx context.Context, err error) *gqlerror.Error {
	gqe := graphql.DefaultErrorPresenter(ctx, err)
	var inner *gqlerror.Error
	if errors.As(err, &inner) && inner.Err == nil && inner.Extensions["code"] != nil {
		// Already coded (parse and validation failures, limits): the
		// executor's own codes become ours.
		switch gqe.Extensions["code"] {
		case "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED":
			gqe.Extensions["code"] = BadUserInput
		case "PERSISTED_QUERY_NOT_FOUND":
			// An APQ miss; Apollo-style clients resend the full query on
			// its message, PersistedQueryNotFound, which stays.
			gqe.Extensions["code"] = NotFound
		}
		return gqe
	}
	if inner != nil && inner.Err == nil && len(inner.Path) == 0 {
		// An uncoded error about the request itself (an undecodable body,
		// a malformed persistedQuery extension) is the client's mistake.
		if gqe.Extensions == nil {
			gqe.Extensions = map[string]any{}
		}
		gqe.Extensions["code"] = BadUserInput
		return gqe
	}
	code, source := Code(err)
	if gqe.Extensions == nil {
		gqe.Extensions = map[string]any{}
	}
	gqe.Extensions["code"] = code
	if source != "" {
		gqe.Extensions["source"] = source
	}
	var ge *Error
	if errors.As(err, &ge) {
		if ge.Field != "" {
			gqe.Extensions["field"] = ge.Field
		}
		if ge.Rule != "" {
			gqe.Extensions["rule"] = ge.Rule
		}
		if ge.Outcome != "" {
			gqe.Extensions["outcome"] = ge.Outcome
		}
	}
	var ie *upstream.InputError
	if !errors.As(err, &ge) && errors.As(err, &ie) && code == BadUserInput && source == "" {
		// Input a source refused before any call: its own words, without
		// the field prefix of Error().
		gqe.Message = ie.Message
		if ie.Field != "" {
			gqe.Extensions["field"] = ie.Field
		}
		if ie.Rule != "" {
			gqe.Extensions["rule"] = ie.Rule
		}
	}
	if ue, ok := asUpstream(err); ok {
		gqe.Message = fmt.Sprintf("%s (%s): %s", ue.UpstreamSource(), ue.UpstreamOperation(), ue.UpstreamMessage())
		if st := ue.UpstreamStatus(); st != 0 {
			gqe.Extensions["upstreamStatus"] = st
		}
		gqe.Extensions["operation"] = ue.UpstreamOperation()
		var oe interface{ UpstreamOutcome() string }
		if errors.As(err, &oe) && oe.UpstreamOutcome() != "" {
			gqe.Extensions["outcome"] = oe.UpstreamOutcome()
		}
	}
	if code == Internal {
		slog.ErrorContext(ctx, "internal error", "path", gqe.Path.String(), "err", err)
		gqe.Message = "internal error"
	}
	return gqe
}

// Recover turns a panic in a resolver into an INTERNAL error: the stack is
// logged, never sent to the client.
func Recover(ctx context.Context, p any) error {
	slog.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p))
	return &Error{Code: Internal, Message: "internal error"}
}
