// Package upstream is the source kit: the HTTP machinery every upstream client
// shares (timeouts, retries of idempotent calls, token handling, metrics) and
// the typed error those clients return. It knows nothing of GraphQL.
package upstream

import (
	"context"
	"errors"
	"fmt"
)

// Kind classifies an upstream failure so callers can react without parsing
// messages. The gateway maps each kind onto one GraphQL error code.
type Kind int

const (
	// KindUnavailable: transport failure, 5xx, or breaker open.
	KindUnavailable Kind = iota
	// KindTimeout: the call ran past its deadline.
	KindTimeout
	// KindRejected: the upstream understood the call and refused it (4xx,
	// success:false envelopes, GraphQL errors).
	KindRejected
	// KindInvalidResponse: the answer could not be decoded (HTML error page,
	// truncated JSON, unexpected shape).
	KindInvalidResponse
	// KindNotFound: the upstream says the thing asked for does not exist.
	KindNotFound
	// KindUnauthorized: our credentials were refused even after a refresh.
	KindUnauthorized
	// KindBadInput: the call was refused by the client before being sent.
	KindBadInput
)

func (k Kind) String() string {
	switch k {
	case KindUnavailable:
		return "unavailable"
	case KindTimeout:
		return "timeout"
	case KindRejected:
		return "rejected"
	case KindInvalidResponse:
		return "invalid_response"
	case KindNotFound:
		return "not_found"
	case KindUnauthorized:
		return "unauthorized"
	case KindBadInput:
		return "bad_input"
	}
	return "unknown"
}

// maxBodyInError bounds how much of an upstream body an Error keeps.
const maxBodyInError = 4 << 10

// Error is the typed error every source returns. It keeps the upstream status
// and the decoded message. Requests are not kept; a response that echoes our
// credentials is redacted when the error is shown or logged.
type Error struct {
	Source    string // "mmp", "shop", "msem", "clavus", "gravitel"
	Operation string // the endpoint, e.g. "vision360"
	Status    int    // HTTP status, 0 when no response was received
	Kind      Kind
	Message   string // the upstream's own message, decoded from its error body
	Body      []byte // the raw response body, truncated
	Err       error  // the underlying cause, if any
	// Sent: the request reached the upstream (its headers were written),
	// so it may have been applied. A refusal with Status set was sent.
	Sent bool
	// Unknown: a request that is not idempotent was sent and no answer
	// says whether it was applied (a timeout, a cut connection).
	Unknown bool
}

// Error is for logs. Known secrets are redacted from it (see Redact), as
// from UpstreamMessage.
func (e *Error) Error() string { return Redact(e.text()) }

func (e *Error) text() string {
	msg := e.Message
	switch {
	case msg == "" && e.Err != nil:
		msg = e.Err.Error()
	case e.Err != nil && e.Status == 0:
		msg += " (" + e.Err.Error() + ")" // the transport cause, for logs
	}
	if e.Status != 0 {
		return fmt.Sprintf("%s %s: %s (HTTP %d): %s", e.Source, e.Operation, e.Kind, e.Status, msg)
	}
	return fmt.Sprintf("%s %s: %s: %s", e.Source, e.Operation, e.Kind, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// NewError builds an Error, truncating the body it keeps.
func NewError(source, op string, kind Kind, status int, message string, body []byte, cause error) *Error {
	if len(body) > maxBodyInError {
		body = body[:maxBodyInError]
	}
	return &Error{Source: source, Operation: op, Status: status, Kind: kind, Message: message, Body: body, Err: cause}
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var ue *Error
	if errors.As(err, &ue) {
		return ue, true
	}
	return nil, false
}

// classifyTransport turns a failed round trip into a Kind.
func classifyTransport(ctx context.Context, err error) Kind {
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded {
		return KindTimeout
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return KindTimeout
	}
	return KindUnavailable
}

// KindForStatus is the default classification of an HTTP error status.
func KindForStatus(status int) Kind {
	switch {
	case status == 401 || status == 403:
		return KindUnauthorized
	case status == 404:
		return KindNotFound
	case status == 408 || status == 504:
		return KindTimeout
	case status == 429 || status >= 500:
		return KindUnavailable
	default:
		return KindRejected
	}
}

// UpstreamSource, UpstreamOperation, UpstreamKind and UpstreamStatus let the
// gateway classify an Error through an interface, without importing this
// internal package.
func (e *Error) UpstreamSource() string    { return e.Source }
func (e *Error) UpstreamOperation() string { return e.Operation }
func (e *Error) UpstreamKind() Kind        { return e.Kind }
func (e *Error) UpstreamStatus() int       { return e.Status }

// UpstreamOutcome is "UNKNOWN" when the call may or may not have been
// applied, "" otherwise.
func (e *Error) UpstreamOutcome() string {
	if e.Unknown {
		return "UNKNOWN"
	}
	return ""
}

// UpstreamSent reports whether the request may have reached the upstream;
// when false, nothing was applied and the call may be sent again.
func (e *Error) UpstreamSent() bool { return e.Sent }
func (e *Error) UpstreamMessage() string {
	if e.Message == "" {
		return e.Kind.String()
	}
	return Redact(e.Message)
}
