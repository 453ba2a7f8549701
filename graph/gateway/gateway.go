// Package gateway assembles the HTTP surface fixed by DESIGN.md around an
// executable schema: GraphQL over HTTP, WebSocket and SSE, GraphiQL, health,
// readiness, metrics and the SDL. It takes the executable schema as a
// parameter so graph never imports the resolvers.
package gateway

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/graph/auth"
	"switchboard/graph/cache"
	"switchboard/graph/errs"
	"switchboard/graph/idempotency"
	"switchboard/graph/metrics"
)

// Options configure the HTTP surface.
type Options struct {
	Schema graphql.ExecutableSchema
	SDL    string
	// RequestTimeout is the overall deadline of one GraphQL request; upstream
	// calls get what is left of it.
	RequestTimeout time.Duration
	Introspection  bool
	MaxUploadSize  int64
	Examples       []Example
	DemoKey        string
	// Keys authenticates clients; nil lets every request through (tests of
	// other concerns only: the server always sets it).
	Keys *auth.Keyring
	// Webhook serves POST /integrations/gravitel when set.
	Webhook http.Handler
	// Ready checks run by /readyz; each returns nil when healthy.
	Ready map[string]func(context.Context) error
	// ReadyWarnings, when set, lists what /readyz reports without failing.
	ReadyWarnings func() map[string]string
	// BreakerStates, when set, reports the upstream circuit breakers
	// ("closed", "half-open", "open") by "source/operation" on /readyz.
	BreakerStates func() map[string]string
	// Shutdown, when set, is done once the server is stopping: every
	// subscription then ends with "complete".
	Shutdown context.Context
	// ResponseCache keeps clean query answers for ResponseCacheTTL (see
	// respcache.go); nil or a zero TTL turns it off.
	ResponseCache    *cache.Cache
	ResponseCacheTTL time.Duration
	// Extensions are added to the GraphQL server (tracing).
	Extensions []graphql.HandlerExtension
	// Traced reports whether operations are traced now: a traced request
	// always runs the executor, which makes its span (nil: never traced).
	Traced func() bool
	// Limits bound each operation; zero fields take DefaultLimits.
	Limits *Limits
	// RequestContext decorates each GraphQL request's context (per-request
	// dataloaders live there).
	RequestContext func(context.Context) context.Context
	Logger         *slog.Logger

	// RateLimiter bounds requests per API key; nil: no limit.
	RateLimiter RateLimiter
	// MaxBodyBytes bounds a non-upload request body; 0 is DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// WSInitTimeout is how long a WebSocket may wait before connection_init;
	// 0 is DefaultWSInitTimeout.
	WSInitTimeout time.Duration
	// MetricsElsewhere leaves /metrics off this handler (it is served on
	// its own address); MetricsKeyNames labels metrics with API key names.
	MetricsElsewhere bool
	MetricsKeyNames  bool
	// UploadDir receives uploaded files while their request runs (the
	// system temp dir when empty); MaxUploads bounds the uploads read at
	// once (0: DefaultMaxUploads).
	UploadDir  string
	MaxUploads int
	// MaxTokens bounds a document's lexical tokens; 0 is DefaultMaxTokens.
	MaxTokens int
	// HeavyBodyBytes is the JSON body size past which a request must be
	// admitted by the heavy lane, at most HeavyRate a second and one parse
	// at a time, waiting its turn up to 2 s (heavy.go); 0 is DefaultHeavyBodyBytes, DefaultHeavyRate.
	HeavyBodyBytes int64
	HeavyRate      int
	// MaxBatch is the most operations a batched request may hold; 0
	// refuses batches.
	MaxBatch int
	// AccessLogSample logs one successful request in N (0 and 1: every
	// one); a request answered 400 or over is always logged.
	AccessLogSample int
	// PersistedQueries is the APQ store; nil keeps 1000 queries in memory.
	PersistedQueries graphql.Cache[string]
	// TrustedDocuments, when set, is the only operations that run (APQ
	// registration is then off).
	TrustedDocuments *TrustedDocuments
	// CORSOrigins may call /graphql from a browser ("*": any); none by default.
	CORSOrigins []string
	// WebhookAllowedIPs limits who may call the webhook (empty: anyone);
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	WebhookAllowedIPs []netip.Prefix
	TrustedProxies    []netip.Prefix
}

// NewHandler returns the gateway's whole HTTP surface.
func NewHandler(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	maxBody := o.MaxBodyBytes
	if maxBody == 0 {
		maxBody = DefaultMaxBodyBytes
	}
	mux := http.NewServeMux()
	static := newStaticAnswers(o.Introspection, o.Traced)
	gql := graphQLServer(o, static)
	// CORS comes first so that refusals (401, 429, 413) reach the browser's
	// script too; the key is checked before the body is read.
	mux.Handle("/graphql", codedErrors(cors(o.CORSOrigins, authenticate(o.Keys, rateLimit(o.RateLimiter, o.Logger, o.MetricsKeyNames,
		limitBody(maxBody, uploadLimit(o.MaxUploadSize), o.MaxBatch, newHeavyLane(o.HeavyBodyBytes, o.HeavyRate, heavyMaxWait),
			static.serve(withRequestContext(gql, o.RequestContext, o.RequestTimeout))))))))
	mux.Handle("GET /{$}", graphiqlHandler(o.Examples, o.DemoKey))
	mux.HandleFunc("GET /graphiql/{file}", graphiqlAsset)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", readyHandler(o.Ready, o.BreakerStates, o.ReadyWarnings))
	if !o.MetricsElsewhere {
		mux.Handle("GET /metrics", MetricsHandler())
	}
	mux.HandleFunc("GET /schema.graphql", func(w http.ResponseWriter, r *http.Request) {
		// Without introspection the schema is not public either.
		if !o.Introspection && o.Keys != nil {
			if _, ok := o.Keys.Authenticate(auth.BearerSecret(r.Header.Get("Authorization"))); !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="switchboard"`)
				writeGraphQLError(w, http.StatusUnauthorized, errs.Unauthenticated, "introspection is off: the schema needs an API key (Authorization: Bearer <key>)")
				return
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(o.SDL))
	})
	if o.Webhook != nil {
		mux.Handle("POST /integrations/gravitel", AllowIPs(o.WebhookAllowedIPs, o.TrustedProxies, o.Logger, o.Webhook))
	}
	return edge(o.Logger, newLogSampler(o.AccessLogSample), mux)
}

// MetricsHandler serves the Prometheus metrics, on the main address or on
// SWITCHBOARD_METRICS_ADDR.
func MetricsHandler() http.Handler { return promhttp.Handler() }

// graphQLServer is the gqlgen server with every transport DESIGN.md lists;
// its POST transport keeps static answers in static.
func graphQLServer(o Options, static *staticAnswers) *handler.Server {
	srv := handler.New(o.Schema)
	initTimeout := o.WSInitTimeout
	if initTimeout == 0 {
		initTimeout = DefaultWSInitTimeout
	}
	srv.AddTransport(wsTransport{keys: o.Keys, initTimeout: initTimeout, opTimeout: o.RequestTimeout})
	srv.AddTransport(jsonChecked{transport.SSE{KeepAlivePingInterval: 10 * time.Second}})
	srv.AddTransport(transport.Options{})
	// Before POST: a client that asks for multipart/mixed gets @defer
	// incrementally.
	srv.AddTransport(jsonChecked{transport.MultipartMixed{}})
	srv.AddTransport(getTransport{})
	docs := lru.New[*ast.QueryDocument](1000)
	post := postTransport{static: static}
	if o.ResponseCache != nil && o.ResponseCacheTTL > 0 && o.TrustedDocuments == nil {
		post.cached = &cachedFirst{rc: responseCache{cache: o.ResponseCache, ttl: o.ResponseCacheTTL}, docs: docs, schema: o.Schema.Schema(), traced: o.Traced}
	}
	srv.AddTransport(post)
	maxBody := o.MaxBodyBytes
	if maxBody == 0 {
		maxBody = DefaultMaxBodyBytes
	}
	uploadDir := o.UploadDir
	if uploadDir == "" {
		uploadDir = os.TempDir()
	}
	srv.AddTransport(newUploadTransport(uploadDir, maxBody, o.MaxUploads))
	srv.SetQueryCache(docs)
	maxTokens := o.MaxTokens
	if maxTokens == 0 {
		maxTokens = DefaultMaxTokens
	}
	srv.SetParserTokenLimit(maxTokens)
	// "Did you mean …" names fields a client without introspection should
	// not learn.
	srv.SetDisableSuggestion(!o.Introspection)
	limits := DefaultLimits
	if o.Limits != nil {
		limits = *o.Limits
	}
	srv.Use(limitsExtension{limits: limits, es: o.Schema})
	srv.Use(argCheck{schema: o.Schema.Schema()})
	if o.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.AroundFields(refuseIntrospection)
	}
	switch {
	case o.TrustedDocuments != nil:
		srv.Use(o.TrustedDocuments)
	case o.PersistedQueries != nil:
		srv.Use(extension.AutomaticPersistedQuery{Cache: o.PersistedQueries})
	default:
		srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	}
	// After the persisted-query extensions, which fill in the document.
	srv.Use(precheck{maxTokens: maxTokens, cache: docs})
	for _, ext := range o.Extensions {
		srv.Use(ext)
	}
	srv.Use(metrics.Extension{})
	if o.Shutdown != nil {
		srv.Use(endSubscriptions{shutdown: o.Shutdown})
	}
	if o.ResponseCache != nil && o.ResponseCacheTTL > 0 {
		// After metrics and tracing: a hit is still timed and traced.
		srv.Use(responseCache{cache: o.ResponseCache, ttl: o.ResponseCacheTTL})
	}
	srv.AroundOperations(releaseHeavy)
	srv.AroundOperations(operationDeadline(o.RequestTimeout))
	srv.AroundResponses(staleExtension)
	srv.SetErrorPresenter(errs.Presenter)
	srv.SetRecoverFunc(errs.Recover)
	return srv
}

// operationDeadline gives a query or mutation the request timeout when its
// transport did not: an SSE or WebSocket request is freed from the HTTP
// deadline for its subscriptions, not for its one-shot operations.
func operationDeadline(timeout time.Duration) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if _, ok := ctx.Deadline(); ok || timeout <= 0 || oc.Operation == nil || oc.Operation.Operation == ast.Subscription {
			return next(ctx)
		}
		// Cancelled at the end of the answer, or with the request.
		ctx, cancel := context.WithTimeout(ctx, timeout)
		responses := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := responses(ctx)
			if resp == nil {
				cancel()
			}
			return resp
		}
	}
}

// refuseIntrospection answers __schema and __type with a coded refusal when
// introspection is off; gqlgen's own refusal is an uncoded error, which
// the presenter would take for an INTERNAL one and log.
func refuseIntrospection(ctx context.Context, next graphql.Resolver) (any, error) {
	if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Object == "Query" && (fc.Field.Name == "__schema" || fc.Field.Name == "__type") {
		return nil, &errs.Error{Code: errs.Forbidden, Message: "introspection is disabled on this gateway"}
	}
	return next(ctx)
}

func uploadLimit(n int64) int64 {
	if n == 0 {
		return 32 << 20
	}
	return n
}

func withRequestContext(next http.Handler, decorate func(context.Context) context.Context, timeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		// Subscriptions live as long as their connection: they are freed
		// from the server's read and write timeouts (which would cut the
		// stream) and from the overall deadline of plain requests.
		if r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(time.Time{})
			_ = rc.SetWriteDeadline(time.Time{})
		} else if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		ctx = withOpState(ctx)
		ctx = idempotency.WithHeader(ctx, r.Header.Get(idempotency.HeaderName))
		if decorate != nil {
			ctx = decorate(ctx)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// authenticate checks the bearer key of every GraphQL request. WebSocket
// upgrades pass: browsers cannot set headers there, so the key is checked in
// the connection_init payload instead (wsInit).
func authenticate(keys *auth.Keyring, next http.Handler) http.Handler {
	if keys == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		p, ok := keys.Authenticate(auth.BearerSecret(r.Header.Get("Authorization")))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="switchboard"`)
			writeGraphQLError(w, http.StatusUnauthorized, errs.Unauthenticated, "missing or invalid API key: send Authorization: Bearer <key>")
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

func writeGraphQLError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/graphql-response+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]string{"code": code}}},
	})
}

type ctxKey struct{}

// RequestID returns the id the request log line carries.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// edge is what every request goes through, folded into one handler: its
// id (X-Request-Id, in its context and its log line), the security headers,
// a JSON answer for a panic outside the GraphQL executor (never a bare 500
// nor a stack trace), and the access log line.
func edge(log *slog.Logger, sample *logSampler, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			// Ids correlate log lines, they guard nothing: the runtime's
			// generator spares a getrandom system call per request.
			var b [8]byte
			binary.LittleEndian.PutUint64(b[:], rand.Uint64())
			id = hex.EncodeToString(b[:])
		}
		h := w.Header()
		h["X-Request-Id"] = []string{id}
		setSecurityHeaders(h)
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		func() {
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					log.Error("panic in handler", "path", r.URL.Path, "panic", p)
					writeGraphQLError(rec, http.StatusInternalServerError, errs.Internal, "internal error")
				}
			}()
			next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), ctxKey{}, id)))
		}()
		if log.Enabled(r.Context(), slog.LevelInfo) && (rec.status >= 400 || sample.take()) { // SWITCHBOARD_LOG_LEVEL=warn turns it off
			log.Info("http", "request_id", id, "method", r.Method, "path", r.URL.Path,
				"status", rec.status, "duration_ms", time.Since(start).Milliseconds())
		}
	})
}

// logSampler picks one request in every (SWITCHBOARD_ACCESS_LOG_SAMPLE).
type logSampler struct {
	every uint64
	n     atomic.Uint64
}

func newLogSampler(every int) *logSampler { return &logSampler{every: uint64(max(every, 1))} }

func (s *logSampler) take() bool { return s.every == 1 || s.n.Add(1)%s.every == 0 }

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach Flush and Hijack for SSE and
// WebSocket.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Flush keeps SSE streaming through the recorder.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
