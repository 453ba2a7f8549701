// MMP Vision 360 in the composition: its sandbox fake and what its row opens.

package app

import (
	"context"

	"switchboard/graph/sandbox"
	"switchboard/graph/vehicles"
	"switchboard/sources/mmp"
	mmpfake "switchboard/sources/mmp/fake"
)

func sandboxMMP(f *sandbox.Fakes, _ *Config) (*mmp.Config, error) {
	f.MMP = mmpfake.New(mmpfake.Options{
		ClientID: sandbox.ClientID, ClientSecret: sandbox.ClientSecret, Username: sandbox.Username, Password: sandbox.Password,
		Version: "v1", Network: "sandbox", Seed: sandbox.Seed, Vehicles: 1000,
	})
	url, err := f.Serve(f.MMP)
	return &mmp.Config{BaseURL: url, Version: "v1", Network: "sandbox", ClientID: sandbox.ClientID,
		ClientSecret: sandbox.ClientSecret, Username: sandbox.Username, Password: sandbox.Password}, err
}

func openMMP(g *App, cfg *Config, sc *mmp.Config) error {
	conf := *sc
	conf.Timeout = cfg.Upstream.TimeoutOf(mmp.Source)
	c, err := mmp.New(conf)
	if err != nil {
		return err
	}
	g.Vehicles = vehicles.New(c, g.Cache)
	g.loaders = append(g.loaders, func(ctx context.Context) context.Context { return g.Vehicles.WithLoader(ctx) })
	g.checks[mmp.Source] = c.Authenticate
	return nil
}
