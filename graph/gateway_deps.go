// Package graph is the gateway's own machinery between the resolvers and
// the sources: the dependencies resolvers need, the per-request loaders,
// caching, and error mapping (in subpackages).
package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"switchboard/graph/auth"
	"switchboard/graph/config"
)

// Source names as they appear in extensions.source and SourceStatus.
const (
	SourceMMP      = "mmp"
	SourceShop     = "shop"
	SourceMseM     = "msem"
	SourceClavus   = "clavus"
	SourceGravitel = "gravitel"
)

// AllSources lists the upstreams in a stable order.
var AllSources = []string{SourceMMP, SourceShop, SourceMseM, SourceClavus, SourceGravitel}

// Gateway holds what resolvers depend on. A nil client means the source is
// not configured.
type Gateway struct {
	// Sandboxed names the sources served by their in-process fakes.
	Sandboxed map[string]bool
	// Configured names the sources that have a client.
	Configured map[string]bool
	// Webhook is the PBX endpoint, nil when Gravitel is not configured.
	Webhook http.Handler
	// Keys authenticates clients; DemoKey is the sandbox key to print.
	Keys    *auth.Keyring
	DemoKey string

	log     *slog.Logger
	closers []func() error
}

// New builds the gateway from its configuration; in sandbox mode it first
// starts the fakes of every source left unconfigured.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*Gateway, error) {
	g := &Gateway{Sandboxed: map[string]bool{}, Configured: map[string]bool{}, log: log}
	switch {
	case cfg.APIKeysFile != "":
		keys, err := auth.Load(cfg.APIKeysFile)
		if err != nil {
			return nil, err
		}
		g.Keys = keys
	case cfg.Sandbox:
		g.Keys, g.DemoKey = auth.Demo()
	default:
		return nil, errors.New("SWITCHBOARD_API_KEYS_FILE is required outside sandbox mode")
	}
	return g, nil
}

// ReadyChecks are the /readyz probes.
func (g *Gateway) ReadyChecks() map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"config": func(context.Context) error { return nil },
	}
}

// WithLoaders gives one GraphQL request its own dataloaders.
func (g *Gateway) WithLoaders(ctx context.Context) context.Context { return ctx }

// Close releases stores, clients and sandbox fakes, last opened first.
func (g *Gateway) Close() {
	for i := len(g.closers) - 1; i >= 0; i-- {
		if err := g.closers[i](); err != nil {
			g.log.Warn("close", "err", err)
		}
	}
}
