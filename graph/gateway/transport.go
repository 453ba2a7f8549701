package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"switchboard/graph/errs"
)

// The GraphQL-over-HTTP transports (POST and GET). gqlgen's own answer 422
// to application/json clients on a parse or validation failure, keep
// `data: null` on request errors, echo an undecodable body whole in the
// message, and leave transport errors without a code. These follow the
// spec (graphql-http audit, e2e/audit_test.go):
//   - a request error (parse, validation, limits, variable coercion) has no
//     `data`; its status is 200 for application/json, 400 for
//     application/graphql-response+json;
//   - a body or URL that is not a GraphQL request at all is 400;
//   - GET runs queries only: anything else is 405 with Allow: POST;
//   - every error carries extensions.code and no message echoes the body.

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// responseType picks the media type of the answer from Accept, as gqlgen
// does: application/json unless the client names the GraphQL one first.
func responseType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// requestErrorBody is a response to a request that never executed: it has
// no `data` member at all.
type requestErrorBody struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// writeRequestError answers a GraphQL request error (the document or its
// variables were refused) through the executor, so the presenter codes it.
func writeRequestError(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, ct string, list gqlerror.List) {
	resp := exec.DispatchError(ctx, list)
	status := http.StatusOK
	if ct == mediaGraphQLResponse {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(requestErrorBody{Errors: resp.Errors, Extensions: resp.Extensions})
}

// writeTransportError answers a request that is not a GraphQL request (bad
// JSON, wrong parameter types, wrong method).
func writeTransportError(w http.ResponseWriter, ct string, status int, code, msg string) {
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(requestErrorBody{Errors: gqlerror.List{{Message: msg, Extensions: map[string]any{"code": code}}}})
}

// decodeProblem describes why a JSON value could not be decoded without
// quoting it: encoding/json's messages name a type or a position, and are
// cut in case one ever carries a value.
func decodeProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "the request"
		}
		return field + " has the wrong type (" + te.Value + ")"
	}
	return truncate(err.Error(), 100)
}

// truncate cuts s to n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// postTransport runs application/json POST requests; static, when set,
// keeps the answers of those that touch no source (static.go); cached,
// when set, answers from the response cache before the executor.
type postTransport struct {
	static *staticAnswers
	cached *cachedFirst
}

var _ graphql.Transport = postTransport{}

func (postTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" || r.Method != http.MethodPost {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == mediaJSON
}

func (t postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	ct := responseType(r)
	start := graphql.Now()
	var body []byte
	if rb, ok := r.Body.(readBody); ok {
		body = rb.bytes
	} else {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			writeTransportError(w, ct, http.StatusBadRequest, errs.BadUserInput, "could not read the request body")
			return
		}
	}
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		writeTransportError(w, ct, http.StatusBadRequest, errs.BadUserInput,
			"the request body is not a JSON GraphQL request: "+decodeProblem(err))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	if resp, ok := t.cached.answer(ctx, r, params); ok {
		w.Header().Set("Content-Type", ct)
		writeResponse(w, resp)
		return
	}
	execute(ctx, w, exec, ct, params, false, func(op *ast.OperationDefinition, resp *graphql.Response) {
		t.static.keep(r, params, op, resp)
	})
}

type getTransport struct{}

var _ graphql.Transport = getTransport{}

func (getTransport) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && r.Method == http.MethodGet
}

func (getTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ct := responseType(r)
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeTransportError(w, ct, http.StatusBadRequest, errs.BadUserInput, "the URL query string could not be decoded")
		return
	}
	params := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName"), Headers: r.Header}
	params.ReadTime.Start = graphql.Now()
	for name, into := range map[string]*map[string]any{"variables": &params.Variables, "extensions": &params.Extensions} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(v))
		dec.UseNumber()
		if err := dec.Decode(into); err != nil {
			writeTransportError(w, ct, http.StatusBadRequest, errs.BadUserInput,
				"the "+name+" parameter is not a JSON object: "+decodeProblem(err))
			return
		}
	}
	params.ReadTime.End = graphql.Now()
	execute(r.Context(), w, exec, ct, params, true, nil)
}

// execute runs one operation and writes its single answer. Over GET only
// queries run; over either, subscriptions and @defer need a streaming
// transport and are refused with a pointer to it rather than left hanging
// or answered in part. kept, when set, is shown the answer before it is
// written.
func execute(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, ct string, params *graphql.RawParams, get bool,
	kept func(*ast.OperationDefinition, *graphql.Response),
) {
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		writeTransportError(w, ct, http.StatusBadRequest, errs.BadUserInput, "the request has no query")
		return
	}
	oc, list := exec.CreateOperationContext(ctx, params)
	if list != nil {
		writeRequestError(graphql.WithOperationContext(ctx, oc), w, exec, ct, list)
		return
	}
	switch {
	case get && oc.Operation.Operation != ast.Query:
		w.Header().Set("Allow", "POST")
		writeTransportError(w, ct, http.StatusMethodNotAllowed, errs.BadUserInput,
			"GET runs queries only: send a "+string(oc.Operation.Operation)+" with POST")
		return
	case oc.Operation.Operation == ast.Subscription:
		writeTransportError(w, ct, http.StatusBadRequest, errs.BadUserInput,
			"a subscription needs a stream: send Accept: text/event-stream, or use the graphql-transport-ws WebSocket")
		return
	case usesDefer(oc.Doc, oc.Operation):
		writeTransportError(w, ct, http.StatusBadRequest, errs.BadUserInput,
			"@defer needs incremental delivery: send Accept: multipart/mixed (or drop @defer)")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	w.Header().Set("Content-Type", ct)
	resp := responses(ctx)
	if kept != nil {
		kept(oc.Operation, resp)
	}
	writeResponse(w, resp)
}

// writeResponse writes one answer. One made of data alone is written as its
// bytes, `{"data":` + data + `}`: the data is the executor's own output or
// the response cache's copy of it, compact JSON already, and encoding/json
// would validate and compact every byte again (most of a cache hit's time).
// Answers with errors, extensions or incremental parts are encoded.
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp == nil || len(resp.Data) == 0 || len(resp.Errors) > 0 || len(resp.Extensions) > 0 ||
		resp.HasNext != nil || resp.Label != "" || resp.Path != nil {
		_ = json.NewEncoder(w).Encode(resp)
		return
	}
	_, _ = w.Write([]byte(`{"data":`))
	_, _ = w.Write(resp.Data)
	_, _ = w.Write([]byte("}\n"))
}

// usesDefer tells whether op (or a fragment it spreads) carries @defer.
func usesDefer(doc *ast.QueryDocument, op *ast.OperationDefinition) bool {
	seen := map[string]bool{}
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if walk(s.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if s.Directives.ForName("defer") != nil || walk(s.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if s.Directives.ForName("defer") != nil {
					return true
				}
				if !seen[s.Name] {
					seen[s.Name] = true
					if f := doc.Fragments.ForName(s.Name); f != nil && walk(f.SelectionSet) {
						return true
					}
				}
			}
		}
		return false
	}
	return walk(op.SelectionSet)
}

// jsonChecked puts a check of the JSON body in front of one of gqlgen's
// streaming transports (SSE, multipart/mixed): theirs quote an undecodable
// body whole in the error message (and multipart/mixed in the log).
type jsonChecked struct{ graphql.Transport }

func (t jsonChecked) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if rb, ok := r.Body.(readBody); ok {
		dec := json.NewDecoder(bytes.NewReader(rb.bytes))
		dec.UseNumber()
		if err := dec.Decode(&graphql.RawParams{}); err != nil {
			writeTransportError(w, mediaJSON, http.StatusBadRequest, errs.BadUserInput,
				"the request body is not a JSON GraphQL request: "+decodeProblem(err))
			return
		}
	}
	t.Transport.Do(w, r, exec)
}
