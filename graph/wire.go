package graph

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"switchboard/graph/calls"
	"switchboard/graph/config"
	"switchboard/graph/folders"
	"switchboard/graph/idempotency"
	"switchboard/graph/sandbox"
	"switchboard/graph/shops"
	"switchboard/graph/telephony"
	"switchboard/graph/vehicles"
	"switchboard/sources/clavus"
	"switchboard/sources/gravitel"
	"switchboard/sources/mmp"
	"switchboard/sources/msem"
	"switchboard/sources/shop"
)

// sandboxCallEvery paces the sandbox PBX's played calls.
const sandboxCallEvery = 20 * time.Second

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
		g.Sandboxed[SourceGravitel] = fakes.PBX != nil
	}
	if cfg.MMP != nil {
		c, err := mmp.New(mmp.Config{
			BaseURL: cfg.MMP.BaseURL, Version: cfg.MMP.Version, Network: cfg.MMP.Network,
			ClientID: cfg.MMP.ClientID, ClientSecret: cfg.MMP.ClientSecret,
			Username: cfg.MMP.Username, Password: cfg.MMP.Password, Timeout: cfg.Upstream.TimeoutOf("mmp"),
		})
		if err != nil {
			return err
		}
		g.Vehicles = vehicles.New(c, g.Cache)
		g.Configured[SourceMMP] = true
		g.checks[SourceMMP] = c.Authenticate
	}
	if cfg.Shop != nil {
		c, err := shop.New(shop.Config{BaseURL: cfg.Shop.BaseURL, ClientID: cfg.Shop.ClientID, ClientSecret: cfg.Shop.ClientSecret, Timeout: cfg.Upstream.TimeoutOf("shop")})
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
			ClientSecret: cfg.MseM.ClientSecret, Scope: cfg.MseM.Scope, Channel: cfg.MseM.Channel, Timeout: cfg.Upstream.TimeoutOf("msem"),
		})
		if err != nil {
			return err
		}
		g.MseM = c
		g.Configured[SourceMseM] = true
		g.checks[SourceMseM] = c.Authenticate
	}
	if cfg.Clavus != nil {
		c, err := clavus.New(clavus.Config{URL: cfg.Clavus.URL, APIKey: cfg.Clavus.APIKey, Timeout: cfg.Upstream.TimeoutOf("clavus")})
		if err != nil {
			return err
		}
		g.Folders = folders.New(c, g.Cache, folders.Columns{Phone: cfg.Clavus.PhoneColumn, Name: cfg.Clavus.NameColumn,
			Commercial: cfg.Clavus.CommercialColumn, Created: cfg.Clavus.CreatedColumn})
		g.Configured[SourceClavus] = true
		g.checks[SourceClavus] = g.Folders.Check
	}
	if cfg.Gravitel != nil {
		if err := g.openTelephony(cfg); err != nil {
			return err
		}
	}
	return nil
}

// openIdempotency opens the idempotency records: in Redis when shared, else
// a file in the data directory.
func (g *Gateway) openIdempotency(cfg *config.Config) error {
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

// openTelephony opens the call store (Redis when shared, else a file in the
// data directory) and the PBX client, and mounts the webhook.
func (g *Gateway) openTelephony(cfg *config.Config) error {
	c, err := gravitel.New(gravitel.Config{
		URL: cfg.Gravitel.URL, Login: cfg.Gravitel.Login, Password: cfg.Gravitel.Password,
		CRMCode: cfg.Gravitel.CRMCode, CRMToken: cfg.Gravitel.CRMToken, WebhookURL: cfg.WebhookURL(),
		Timeout: cfg.Upstream.TimeoutOf("gravitel"),
	})
	if err != nil {
		return err
	}
	var store calls.Store
	if g.redis != nil {
		store = calls.NewRedis(g.redis, cfg.RedisPrefix+"calls:").Retain(cfg.CallRetention)
	} else {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return fmt.Errorf("SWITCHBOARD_DATA_DIR: %w", err)
		}
		b, err := calls.OpenBolt(filepath.Join(cfg.DataDir, "calls.db"))
		if err != nil {
			return err
		}
		if err := b.Retain(cfg.CallRetention); err != nil {
			b.Close()
			return err
		}
		store = b
	}
	g.closers = append(g.closers, store.Close)
	opts := telephony.Options{Client: c, Store: store, Bus: g.Bus, Cache: g.Cache, CRMToken: cfg.Gravitel.CRMToken, Logger: g.log, Marks: g.Idempotency}
	if g.Folders != nil {
		opts.Lookups = append(opts.Lookups, telephony.Lookup{Source: "clavus", Find: g.clavusCaller})
		opts.Users = g.clavusUsers
	}
	if g.Vehicles != nil {
		// Clavus first: a folder names the commercial to route the call to.
		dir := telephony.NewDirectory(g.Cache)
		opts.Lookups = append(opts.Lookups, telephony.Lookup{Source: "store", Find: dir.Lookup})
		g.Vehicles.OnCustomers(func(ctx context.Context, cs []mmp.Customer) {
			for _, c := range cs {
				dir.Remember(ctx, mmpContact(c), c.Mobile, c.Phone)
			}
		})
	}
	g.Telephony = telephony.New(opts)
	g.Webhook = g.Telephony.Webhook()
	g.Configured[SourceGravitel] = true
	g.checks[SourceGravitel] = g.Telephony.Check
	g.CheckNotes[SourceGravitel] = telephony.CheckNote
	return nil
}

func (g *Gateway) clavusCaller(ctx context.Context, phone string) (telephony.Contact, bool, error) {
	c, ok, err := g.Folders.ByPhone(ctx, phone)
	if !ok || err != nil {
		return telephony.Contact{}, false, err
	}
	return telephony.Contact{Name: c.Name, Responsible: c.Commercial, Source: "CLAVUS", RecordID: c.FolderID}, true, nil
}

// mmpContact names an MMP customer for the PBX.
func mmpContact(c mmp.Customer) telephony.Contact {
	name := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if name == "" {
		name = c.CompanyName
	}
	id := c.ClientDmsID
	if c.ClientID != 0 {
		id = strconv.Itoa(c.ClientID)
	}
	return telephony.Contact{Name: name, Source: "MMP", RecordID: id}
}

func (g *Gateway) clavusUsers(ctx context.Context) ([]gravitel.User, error) {
	users, err := g.Folders.AllUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]gravitel.User, len(users))
	for i, u := range users {
		out[i] = gravitel.User{ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName)}
	}
	return out, nil
}

// Start runs what needs the server up: keeping our webhook registered with
// the PBX (which may call it at once), retried until the PBX accepts it,
// and, in sandbox mode, once registered, the fake PBX's stream of calls. It
// returns at once; failures are logged and shown on /readyz.
func (g *Gateway) Start(ctx context.Context) {
	if g.Folders != nil {
		g.Folders.StartSchemaCheck(ctx, g.log.Info)
	}
	if g.Telephony == nil {
		return
	}
	var scenarios func()
	if g.Fakes != nil && g.Fakes.PBX != nil {
		scenarios = func() { _ = g.Fakes.PBX.RunScenarios(ctx, sandboxCallEvery) }
	}
	go g.Telephony.KeepRegistered(ctx, scenarios)
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
