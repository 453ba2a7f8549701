// Shop Application in the composition: its sandbox fake and what its row opens.

package app

import (
	"context"

	"switchboard/graph/sandbox"
	"switchboard/graph/shops"
	"switchboard/sources/shop"
	shopfake "switchboard/sources/shop/fake"
)

func sandboxShop(f *sandbox.Fakes, _ *Config) (*shop.Config, error) {
	f.Shop = shopfake.New(shopfake.Options{ClientID: sandbox.ClientID, ClientSecret: sandbox.ClientSecret, Seed: sandbox.Seed, Interfaces: shopfake.DefaultInterfaces})
	url, err := f.Serve(f.Shop)
	return &shop.Config{BaseURL: url, ClientID: sandbox.ClientID, ClientSecret: sandbox.ClientSecret}, err
}

func openShop(g *App, cfg *Config, sc *shop.Config) error {
	conf := *sc
	conf.Timeout = cfg.Upstream.TimeoutOf(shop.Source)
	c, err := shop.New(conf)
	if err != nil {
		return err
	}
	g.Shops = shops.New(c, g.Cache)
	g.loaders = append(g.loaders, func(ctx context.Context) context.Context { return g.Shops.WithLoader(ctx) })
	g.checks[shop.Source] = c.Authenticate
	return nil
}
