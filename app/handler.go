package app

import (
	"net/http"
	"path/filepath"
	"reflect"

	"github.com/99designs/gqlgen/graphql"

	"switchboard/generated"
	"switchboard/graph/auth"
	"switchboard/graph/flatlists"
	"switchboard/graph/gateway"
	"switchboard/graph/idempotency"
	"switchboard/graph/tracing"
	"switchboard/resolvers"
	"switchboard/schema"
	"switchboard/sources/upstream"
)

// Resolvers are the root resolver over the services this gateway has.
func (g *App) Resolvers() *resolvers.Resolver {
	r := &resolvers.Resolver{Vehicles: g.Vehicles, Shops: g.Shops, Notifications: g.Notifications,
		Folders: g.Folders, Telephony: g.Telephony}
	for _, name := range SourceNames() {
		r.Sources = append(r.Sources, resolvers.Source{Name: name, Configured: g.Configured[name], Sandbox: g.Sandboxed[name]})
	}
	return r
}

// Handler is the gateway's HTTP surface over its resolvers: build it once
// the services are final (tests swap one before).
func (g *App) Handler() http.Handler {
	cfg := g.cfg
	r := g.Resolvers()
	es := generated.NewExecutableSchema(generated.Config{
		Resolvers:  r,
		Directives: generated.DirectiveRoot{Scope: auth.ScopeDirective},
	})
	idem := &idempotency.Extension{Service: g.Idempotency, Root: reflect.TypeFor[generated.ResolverRoot](), Hooks: r.IdempotencyHooks()}
	exts := []graphql.HandlerExtension{fieldRoute{mutations: idem, lists: flatlists.Extension{Objects: resolvers.FlatLists}}}
	if tracing.Enabled() {
		// Without a tracer provider the extension makes no span: left
		// out, no field and no response goes through it.
		exts = append([]graphql.HandlerExtension{tracing.Extension{}}, exts...)
	}
	return gateway.NewHandler(gateway.Options{
		Schema:           es,
		Extensions:       exts,
		Traced:           tracing.Enabled,
		SDL:              schema.SDL(),
		RequestTimeout:   cfg.RequestTimeout,
		ResponseCache:    g.Cache,
		ResponseCacheTTL: cfg.ResponseCacheTTL,
		Introspection:    cfg.Introspection,
		Examples:         Examples,
		Webhook:          g.Webhook,
		Keys:             g.Keys,
		DemoKey:          g.DemoKey,
		Ready:            g.ReadyChecks(),
		ReadyWarnings:    g.ReadyWarnings,
		BreakerStates:    upstream.BreakerStates,
		Shutdown:         g.Stopping(),
		RequestContext:   g.WithLoaders,
		Logger:           g.log,

		RateLimiter:       g.RateLimiter,
		MaxBodyBytes:      cfg.MaxBodyBytes,
		MaxBatch:          cfg.MaxBatch,
		AccessLogSample:   cfg.AccessLogSample,
		MaxTokens:         cfg.MaxTokens,
		HeavyBodyBytes:    cfg.HeavyBodyBytes,
		HeavyRate:         cfg.HeavyRate,
		WSInitTimeout:     cfg.WSInitTimeout,
		UploadDir:         filepath.Join(cfg.DataDir, "uploads"),
		MetricsElsewhere:  cfg.MetricsAddr != "",
		MetricsKeyNames:   cfg.MetricsKeyNames,
		MaxUploads:        cfg.MaxUploads,
		PersistedQueries:  g.PersistedQueries,
		TrustedDocuments:  g.TrustedDocuments,
		CORSOrigins:       cfg.CORSOrigins,
		WebhookAllowedIPs: cfg.GravitelAllowedIPs,
		TrustedProxies:    cfg.TrustedProxies,
	})
}
