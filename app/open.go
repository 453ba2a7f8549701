package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"switchboard/graph/idempotency"
	"switchboard/graph/sandbox"
)

// openSources builds a client for every configured source, in sandbox mode
// first starting the fake of every source left unconfigured.
func (g *App) openSources(cfg *Config) error {
	if cfg.Sandbox {
		g.Fakes = &sandbox.Fakes{}
		g.closers = append(g.closers, g.Fakes.Close)
	}
	for _, s := range sourceTable {
		name := s.sourceName()
		settings := cfg.Sources[name]
		if settings == nil && cfg.Sandbox {
			var err error
			if settings, err = s.startFake(g.Fakes, cfg); err != nil {
				return err
			}
			g.Sandboxed[name] = true
		}
		if settings == nil {
			continue
		}
		if err := s.openWith(g, cfg, settings); err != nil {
			return err
		}
		g.Configured[name] = true
	}
	return nil
}

// openIdempotency opens the idempotency records: in Redis when shared, else
// a file in the data directory.
func (g *App) openIdempotency(cfg *Config) error {
	var store idempotency.Store
	if g.redis != nil {
		store = idempotency.NewRedis(g.redis, cfg.RedisPrefix+"idem:")
	} else {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return fmt.Errorf("SWITCHBOARD_DATA_DIR: %w", err)
		}
		b, err := idempotency.OpenBolt(filepath.Join(cfg.DataDir, "idempotency.db"))
		if err != nil {
			return err
		}
		store = b
	}
	g.Idempotency = idempotency.New(store, cfg.IdempotencyTTL, g.log)
	g.closers = append(g.closers, g.Idempotency.Close)
	return nil
}

// Start runs what needs the server up: the Clavus schema check, keeping
// our webhook registered with the PBX (which may call it at once), retried
// until the PBX accepts it, and, in sandbox mode, once registered, the fake
// PBX's stream of calls. It returns at once; failures are logged and shown
// on /readyz.
func (g *App) Start(ctx context.Context) {
	for _, start := range g.starts {
		start(ctx)
	}
}

// WithLoaders gives one GraphQL request its own dataloaders.
func (g *App) WithLoaders(ctx context.Context) context.Context {
	for _, with := range g.loaders {
		ctx = with(ctx)
	}
	return ctx
}
