// Clavus in the composition: its sandbox fake and what its row opens.

package app

import (
	"context"

	"switchboard/graph/folders"
	"switchboard/graph/sandbox"
	"switchboard/sources/clavus"
	clavusfake "switchboard/sources/clavus/fake"
)

func sandboxClavus(f *sandbox.Fakes, _ *Config) (*clavus.Config, error) {
	f.Clavus = clavusfake.New(clavusfake.Options{APIKey: sandbox.ClientSecret, Seed: sandbox.Seed})
	url, err := f.Serve(f.Clavus)
	return &clavus.Config{URL: url + "/api/external/graphql", APIKey: sandbox.ClientSecret}, err
}

func openClavus(g *App, cfg *Config, sc *clavus.Config) error {
	conf := *sc
	conf.Timeout = cfg.Upstream.TimeoutOf(clavus.Source)
	c, err := clavus.New(conf)
	if err != nil {
		return err
	}
	g.Folders = folders.New(c, g.Cache, sc.Columns)
	g.loaders = append(g.loaders, func(ctx context.Context) context.Context { return g.Folders.WithLoader(ctx) })
	g.checks[clavus.Source] = func(ctx context.Context) error { return g.Folders.Check(ctx) }
	g.notes[clavus.Source] = func() string { return g.Folders.SchemaNote() }
	g.ready["clavus-schema"] = func(ctx context.Context) error { return g.Folders.SchemaReady(ctx) }
	g.starts = append(g.starts, func(ctx context.Context) { g.Folders.StartSchemaCheck(ctx, g.log.Info) })
	return nil
}
