package graph

import (
	"context"

	"switchboard/graph/config"
	"switchboard/graph/folders"
	"switchboard/graph/sandbox"
	"switchboard/graph/shops"
	"switchboard/graph/vehicles"
	"switchboard/sources/clavus"
	"switchboard/sources/mmp"
	"switchboard/sources/msem"
	"switchboard/sources/shop"
)

// openSources starts the sandbox fakes when asked, then builds a client
// for every configured source.
func (g *Gateway) openSources(cfg *config.Config) error {
	if cfg.Sandbox {
		fakes, err := sandbox.Start(cfg)
		if err != nil {
			return err
		}
		g.Fakes = fakes
		g.closers = append(g.closers, fakes.Close)
		g.Sandboxed[SourceMMP] = fakes.MMP != nil
		g.Sandboxed[SourceShop] = fakes.Shop != nil
		g.Sandboxed[SourceMseM] = fakes.MseM != nil
		g.Sandboxed[SourceClavus] = fakes.Clavus != nil
	}
	if cfg.MMP != nil {
		c, err := mmp.New(mmp.Config{
			BaseURL: cfg.MMP.BaseURL, Version: cfg.MMP.Version, Network: cfg.MMP.Network,
			ClientID: cfg.MMP.ClientID, ClientSecret: cfg.MMP.ClientSecret,
			Username: cfg.MMP.Username, Password: cfg.MMP.Password,
		})
		if err != nil {
			return err
		}
		g.Vehicles = vehicles.New(c, g.Cache)
		g.Configured[SourceMMP] = true
		g.checks[SourceMMP] = c.Authenticate
	}
	if cfg.Shop != nil {
		c, err := shop.New(shop.Config{BaseURL: cfg.Shop.BaseURL, ClientID: cfg.Shop.ClientID, ClientSecret: cfg.Shop.ClientSecret})
		if err != nil {
			return err
		}
		g.Shops = shops.New(c, g.Cache)
		g.Configured[SourceShop] = true
		g.checks[SourceShop] = c.Authenticate
	}
	if cfg.MseM != nil {
		c, err := msem.New(msem.Config{
			AuthURL: cfg.MseM.AuthURL, ServicesURL: cfg.MseM.ServicesURL, ClientID: cfg.MseM.ClientID,
			ClientSecret: cfg.MseM.ClientSecret, Scope: cfg.MseM.Scope, Channel: cfg.MseM.Channel,
		})
		if err != nil {
			return err
		}
		g.MseM = c
		g.Configured[SourceMseM] = true
		g.checks[SourceMseM] = c.Authenticate
	}
	if cfg.Clavus != nil {
		c, err := clavus.New(clavus.Config{URL: cfg.Clavus.URL, APIKey: cfg.Clavus.APIKey})
		if err != nil {
			return err
		}
		g.Folders = folders.New(c, g.Cache)
		g.Configured[SourceClavus] = true
		g.checks[SourceClavus] = g.Folders.Check
	}
	return nil
}

// WithLoaders gives one GraphQL request its own dataloaders.
func (g *Gateway) WithLoaders(ctx context.Context) context.Context {
	if g.Vehicles != nil {
		ctx = g.Vehicles.WithLoader(ctx)
	}
	if g.Shops != nil {
		ctx = g.Shops.WithLoader(ctx)
	}
	if g.Folders != nil {
		ctx = g.Folders.WithLoader(ctx)
	}
	return ctx
}
