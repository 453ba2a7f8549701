package gateway

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/graph/metrics"
)

// Static answers: a query that selects only __typename at its root (and
// __schema, __type when introspection is on) touches no source, so its
// answer is a pure function of the request. The first clean answer to such
// a request is kept by the request's exact bytes (the POST body), and the
// same bytes are then answered with it without running the executor. Auth,
// rate limit and body limits run before (they are HTTP middleware); the
// document passed parse, validation and the limits when it was kept, and
// would again; the latency metric is observed as the executor's would be.
// A request that asks for its cost, or while operations are traced, always
// runs the executor, which adds extensions.cost or makes the span.
//
// Kept answers are bounded in number and in bytes: with introspection on,
// each spelling of an introspection query would otherwise keep its own
// copy of the whole schema.
const (
	maxStaticAnswers    = 1000
	maxStaticBodyBytes  = 4 << 10
	maxStaticTotalBytes = 8 << 20
)

// The Content-Type values of an answer, shared by every static one (the
// server only reads them).
var (
	contentJSON            = []string{mediaJSON}
	contentGraphQLResponse = []string{mediaGraphQLResponse}
)

type staticAnswers struct {
	introspection bool
	// traced reports whether operations are traced now (nil: never).
	traced func() bool

	mu      sync.RWMutex
	answers map[string]staticAnswer
	bytes   int // of the kept requests and answers
}

type staticAnswer struct {
	body    []byte // `{"data":…}` and a newline, as writeResponse writes it
	latency prometheus.Observer
}

func newStaticAnswers(introspection bool, traced func() bool) *staticAnswers {
	return &staticAnswers{introspection: introspection, traced: traced, answers: map[string]staticAnswer{}}
}

// serve answers a request whose answer is kept, else passes it to next.
func (s *staticAnswers) serve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		body, ok := s.eligible(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		s.mu.RLock()
		a, ok := s.answers[string(body)]
		s.mu.RUnlock()
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		ct := contentJSON
		if responseType(r) == mediaGraphQLResponse {
			ct = contentGraphQLResponse
		}
		w.Header()["Content-Type"] = ct
		_, _ = w.Write(a.body)
		a.latency.Observe(time.Since(start).Seconds())
	})
}

// eligible returns the body of a request the POST transport would run as
// one plain operation (not SSE, multipart/mixed, an upload or a batch), when
// its answer may be kept.
func (s *staticAnswers) eligible(r *http.Request) ([]byte, bool) {
	if s == nil || r.Method != http.MethodPost || (s.traced != nil && s.traced()) {
		return nil, false
	}
	rb, ok := r.Body.(readBody)
	if !ok || len(rb.bytes) > maxStaticBodyBytes || r.Header.Get(CostHeader) != "" || r.Header.Get("Upgrade") != "" {
		return nil, false
	}
	if a := r.Header.Get("Accept"); strings.Contains(a, "text/event-stream") || strings.Contains(a, "multipart/mixed") {
		return nil, false
	}
	if ct := r.Header.Get("Content-Type"); ct != mediaJSON && !(postTransport{}).Supports(r) {
		return nil, false
	}
	return rb.bytes, true
}

// keep records the answer of r when its operation touches no source and
// the answer is clean; data is the answer's data.
func (s *staticAnswers) keep(r *http.Request, params *graphql.RawParams, op *ast.OperationDefinition, resp *graphql.Response) {
	body, ok := s.eligible(r)
	if !ok || len(params.Extensions) > 0 || !s.static(op) || resp == nil || len(resp.Data) == 0 ||
		len(resp.Errors) > 0 || len(resp.Extensions) > 0 || resp.HasNext != nil || resp.Label != "" || resp.Path != nil {
		return
	}
	a := staticAnswer{body: dataBody(resp.Data), latency: metrics.QueryObserver(op)}
	size := len(body) + len(a.body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, kept := s.answers[string(body)]; !kept && len(s.answers) < maxStaticAnswers && s.bytes+size <= maxStaticTotalBytes {
		s.answers[string(body)] = a
		s.bytes += size
	}
}

// static tells whether op's answer depends on nothing but its document: a
// query without variables or directives selecting only fields answered
// from the schema.
func (s *staticAnswers) static(op *ast.OperationDefinition) bool {
	if op == nil || op.Operation != ast.Query || len(op.VariableDefinitions) > 0 || len(op.Directives) > 0 || len(op.SelectionSet) == 0 {
		return false
	}
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || len(f.Directives) > 0 {
			return false
		}
		switch f.Name {
		case "__typename":
		case "__schema", "__type":
			if !s.introspection {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// dataBody is the answer writeResponse writes for data alone.
func dataBody(data []byte) []byte {
	b := make([]byte, 0, len(data)+11)
	b = append(b, `{"data":`...)
	b = append(b, data...)
	return append(b, "}\n"...)
}
