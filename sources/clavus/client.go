package clavus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"switchboard/sources/upstream"
)

// Source is the name of this upstream in errors and metrics.
const Source = "clavus"

// Config configures a Client.
type Config struct {
	URL     string       // full GraphQL endpoint, e.g. https://api-v2.clavus.io/api/external/graphql
	APIKey  string       // sent as "Authorization: Bearer <APIKey>"
	HTTP    *http.Client // optional; http.DefaultClient when nil
	Timeout time.Duration
	// Columns are read by the gateway's caller lookup, not by the client.
	Columns Columns
}

// Columns overrides the columns the caller lookup reads: each names a
// column by id, key or label (CLAVUS_PHONE_COLUMN, CLAVUS_NAME_COLUMN,
// CLAVUS_COMMERCIAL_COLUMN, CLAVUS_CREATED_COLUMN). Empty ones are
// discovered.
type Columns struct {
	Phone, Name, Commercial, Created string
}

// Client calls Clavus. It is safe for concurrent use.
type Client struct {
	up      *upstream.Client
	adapter *adapter
	gql     graphql.Client
	// noAliases: Clavus refused an aliased document (aliased.go).
	noAliases atomic.Bool
}

// ErrProspectConverted is wrapped by the error of an update refused because
// the prospect was converted.
var ErrProspectConverted = errors.New("clavus: prospect already converted")

// New builds a Client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("clavus: URL must be an absolute http(s) URL")
	}
	if cfg.APIKey == "" {
		return nil, errors.New("clavus: APIKey is required")
	}
	up := &upstream.Client{
		Source:       Source,
		BaseURL:      cfg.URL,
		HTTP:         cfg.HTTP,
		Auth:         upstream.StaticBearer(cfg.APIKey),
		Timeout:      cfg.Timeout,
		ErrorMessage: errorMessage,
	}
	a := newAdapter(transport{up})
	return &Client{up: up, adapter: a, gql: a}, nil
}

// CheckSchema introspects the live Clavus now, validates every operation
// against it and adapts what can be adapted (see SchemaReport). Later calls
// use what it found. Without it, the first call of the client does the same.
func (c *Client) CheckSchema(ctx context.Context) *SchemaReport { return c.adapter.check(ctx) }

// SchemaStatus is the last schema check's report, nil before any.
func (c *Client) SchemaStatus() *SchemaReport { return c.adapter.status() }

// IntrospectSDL returns the live Clavus schema as SDL.
func (c *Client) IntrospectSDL(ctx context.Context) (string, error) {
	return introspect(ctx, transport{c.up})
}

// PartialError comes with a non-nil result when Clavus answered data and
// errors together: the result holds what Clavus resolved.
type PartialError struct {
	Err *upstream.Error
}

func (e *PartialError) Error() string { return "partial data: " + e.Err.Error() }

// Unwrap gives the *upstream.Error describing the failed parts.
func (e *PartialError) Unwrap() error { return e.Err }

// transport is the genqlient client: one POST through the source kit.
type transport struct{ up *upstream.Client }

// MakeRequest implements graphql.Client.
func (t transport) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	r, err := t.up.Do(ctx, &upstream.Request{
		Operation:  req.OpName,
		Method:     http.MethodPost,
		JSON:       req,
		Header:     http.Header{"Accept": {"application/graphql-response+json, application/json"}},
		Idempotent: !isMutation(req.Query),
	})
	if err != nil {
		return err
	}
	return decodeResponse(req.OpName, r.Body, resp)
}

// isMutation reads the operation keyword, skipping blanks and comments.
func isMutation(query string) bool {
	for line := range strings.Lines(query) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		return strings.HasPrefix(line, "mutation")
	}
	return false
}

// decodeResponse fills resp from a 2xx body and returns the error that
// GraphQL errors in it stand for (*PartialError when data came too).
func decodeResponse(op string, body []byte, resp *graphql.Response) error {
	var env struct {
		Data       json.RawMessage `json:"data"`
		Errors     gqlerror.List   `json:"errors"`
		Extensions map[string]any  `json:"extensions"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return upstream.NewError(Source, op, upstream.KindInvalidResponse, 0, "response is not GraphQL JSON", body, err)
	}
	resp.Errors, resp.Extensions = env.Errors, env.Extensions
	hasData := len(env.Data) > 0 && !bytes.Equal(bytes.TrimSpace(env.Data), []byte("null"))
	if hasData {
		if err := json.Unmarshal(env.Data, resp.Data); err != nil {
			return upstream.NewError(Source, op, upstream.KindInvalidResponse, 0, "unexpected data shape", body, err)
		}
	}
	if len(env.Errors) == 0 {
		if !hasData {
			return upstream.NewError(Source, op, upstream.KindInvalidResponse, 0, "response has neither data nor errors", body, nil)
		}
		return nil
	}
	ue := graphQLError(op, 0, env.Errors, body)
	// {"upsertProspect": null} beside errors is a failure, not partial
	// data: decoded, it would be a result of zero values.
	if hasData && !allNull(env.Data) {
		return &PartialError{Err: ue}
	}
	return ue
}

// allNull reports whether a JSON value holds nothing but nulls in objects
// (an array, even empty, is a value).
func allNull(raw json.RawMessage) bool {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
	}
	for _, v := range obj {
		if !allNull(v) {
			return false
		}
	}
	return true
}

// graphQLError maps Clavus's GraphQL errors onto one *upstream.Error; the
// first error's code decides the kind.
func graphQLError(op string, status int, errs gqlerror.List, body []byte) *upstream.Error {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		if e != nil && e.Message != "" {
			msgs = append(msgs, e.Message)
		}
	}
	msg := strings.Join(msgs, "; ")
	if msg == "" {
		msg = "GraphQL error without message"
	}
	kind := upstream.KindRejected
	if errs[0] != nil {
		code, _ := errs[0].Extensions["code"].(string)
		switch code {
		case "UNAUTHENTICATED", "UNAUTHORIZED":
			kind = upstream.KindUnauthorized
		case "NOT_FOUND":
			kind = upstream.KindNotFound
		case "INTERNAL_SERVER_ERROR":
			kind = upstream.KindUnavailable
		}
	}
	var cause error
	if op == opUpsertProspect && kind == upstream.KindRejected && strings.Contains(strings.ToLower(msg), "convert") {
		cause = ErrProspectConverted
	}
	return upstream.NewError(Source, op, kind, status, msg, body, cause)
}

// errorMessage decodes the messages of a non-2xx GraphQL error body.
func errorMessage(_ int, body []byte) string {
	var env struct {
		Errors  gqlerror.List `json:"errors"`
		Message string        `json:"message"`
	}
	if json.Unmarshal(body, &env) != nil {
		return ""
	}
	var msgs []string
	for _, e := range env.Errors {
		if e != nil && e.Message != "" {
			msgs = append(msgs, e.Message)
		}
	}
	if len(msgs) == 0 {
		return env.Message
	}
	return strings.Join(msgs, "; ")
}

// badInput refuses a caller field before any upstream call: a KindBadInput
// *upstream.Error wrapping an *upstream.InputError.

func badInput(op, field, format string, args ...any) error {
	ie := &upstream.InputError{Field: field, Message: fmt.Sprintf(format, args...)}
	return upstream.NewError(Source, op, upstream.KindBadInput, 0, ie.Error(), nil, ie)
}

// partial separates a *PartialError (the result is still usable) from a
// failure.
func partial(err error) (pe *PartialError, failed bool) {
	if err == nil {
		return nil, false
	}
	if errors.As(err, &pe) {
		return pe, false
	}
	return nil, true
}
