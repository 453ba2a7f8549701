package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"switchboard/graph/calls"
	"switchboard/graph/idempotency"
	"switchboard/graph/sandbox"
	"switchboard/graph/telephony"
	"switchboard/sources/gravitel"
	"switchboard/sources/mmp"
)

// sandboxCallEvery paces the sandbox PBX's played calls.
const sandboxCallEvery = 20 * time.Second

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
		store = idempotency.NewRedis(g.redis, "switchboard:idem:")
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

// openGravitel opens the call store (Redis when shared, else a file in the
// data directory) and the PBX client, and mounts the webhook.
func openGravitel(g *App, cfg *Config, gc *gravitel.Config) error {
	pbx := *gc
	pbx.WebhookURL, pbx.Timeout = cfg.WebhookURL(), cfg.Upstream.TimeoutOf(gravitel.Source)
	c, err := gravitel.New(pbx)
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
		store = b
	}
	g.closers = append(g.closers, store.Close)
	opts := telephony.Options{Client: c, Store: store, Bus: g.Bus, Cache: g.Cache, CRMToken: pbx.CRMToken, Logger: g.log, Marks: g.Idempotency}
	if g.Folders != nil {
		opts.Lookups = append(opts.Lookups, g.clavusCaller)
		opts.Users = g.clavusUsers
	}
	if g.Vehicles != nil {
		// Clavus first: a folder names the commercial to route the call to.
		dir := telephony.NewDirectory(g.Cache)
		opts.Lookups = append(opts.Lookups, dir.Lookup)
		g.Vehicles.OnCustomers(func(ctx context.Context, cs []mmp.Customer) {
			for _, c := range cs {
				dir.Remember(ctx, mmpContact(c), c.Mobile, c.Phone)
			}
		})
	}
	g.Telephony = telephony.New(opts)
	g.Webhook = g.Telephony.Webhook()
	g.checks[gravitel.Source] = g.Telephony.Check
	g.notes[gravitel.Source] = func() string { return telephony.CheckNote }
	g.warnings = append(g.warnings, func(w map[string]string) {
		if !g.Telephony.Registered() {
			w[gravitel.Source] = "webhook not registered"
		}
	})
	g.starts = append(g.starts, func(ctx context.Context) {
		// Once registered, the sandbox PBX plays its stream of calls.
		var scenarios func()
		if g.Fakes != nil && g.Fakes.PBX != nil {
			scenarios = func() { _ = g.Fakes.PBX.RunScenarios(ctx, sandboxCallEvery) }
		}
		go g.Telephony.KeepRegistered(ctx, scenarios)
	})
	return nil
}

func (g *App) clavusCaller(ctx context.Context, phone string) (telephony.Contact, bool, error) {
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

func (g *App) clavusUsers(ctx context.Context) ([]gravitel.User, error) {
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
