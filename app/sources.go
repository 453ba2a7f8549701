package app

import (
	"context"
	"errors"
	"time"

	"switchboard/graph/config"
	"switchboard/graph/folders"
	"switchboard/graph/notifications"
	"switchboard/graph/sandbox"
	"switchboard/graph/shops"
	"switchboard/graph/vehicles"
	"switchboard/sources/clavus"
	clavusfake "switchboard/sources/clavus/fake"
	"switchboard/sources/gravitel"
	gravitelfake "switchboard/sources/gravitel/fake"
	"switchboard/sources/mmp"
	mmpfake "switchboard/sources/mmp/fake"
	"switchboard/sources/msem"
	msemfake "switchboard/sources/msem/fake"
	"switchboard/sources/shop"
	shopfake "switchboard/sources/shop/fake"
)

// sourceTable is every upstream, in the order they are shown and opened (a
// source may use those opened before it: the PBX looks callers up in
// Clavus and MMP). Configuration, check-config, loaders, readiness, the
// sources status and the sandbox all derive from it: a new source is one
// row.
var sourceTable = []source{
	row[mmp.Config]{name: mmp.Source, fromEnv: envOnly(mmp.ConfigFromEnv), sandbox: sandboxMMP, open: openMMP},
	row[shop.Config]{name: shop.Source, fromEnv: envOnly(shop.ConfigFromEnv), sandbox: sandboxShop, open: openShop},
	row[msem.Config]{name: msem.Source, fromEnv: envOnly(msem.ConfigFromEnv), sandbox: sandboxMseM, open: openMseM},
	row[clavus.Config]{name: clavus.Source, fromEnv: envOnly(clavus.ConfigFromEnv), sandbox: sandboxClavus, open: openClavus},
	row[gravitel.Config]{name: gravitel.Source, fromEnv: gravitelFromEnv, sandbox: sandboxGravitel, open: openGravitel},
}

// SourceNames lists the upstreams in a stable order.
func SourceNames() []string {
	out := make([]string, len(sourceTable))
	for i, s := range sourceTable {
		out[i] = s.sourceName()
	}
	return out
}

// source is one row of sourceTable, whatever its settings' type.
type source interface {
	sourceName() string
	readEnv(getenv func(string) string, base *config.Config) (any, error)
	startFake(f *sandbox.Fakes, cfg *Config) (any, error)
	openWith(g *App, cfg *Config, settings any) error
}

// row is a source whose client takes a *C.
type row[C any] struct {
	name string
	// fromEnv reads its settings: nil when absent, an error naming what is
	// missing when partial.
	fromEnv func(getenv func(string) string, base *config.Config) (*C, error)
	// sandbox starts its fake and returns the settings reaching it.
	sandbox func(f *sandbox.Fakes, cfg *Config) (*C, error)
	// open builds its client and service into g.
	open func(g *App, cfg *Config, c *C) error
}

func (r row[C]) sourceName() string { return r.name }

func (r row[C]) readEnv(getenv func(string) string, base *config.Config) (any, error) {
	c, err := r.fromEnv(getenv, base)
	if c == nil || err != nil {
		return nil, err
	}
	return c, nil
}

func (r row[C]) startFake(f *sandbox.Fakes, cfg *Config) (any, error) { return r.sandbox(f, cfg) }

func (r row[C]) openWith(g *App, cfg *Config, settings any) error {
	return r.open(g, cfg, settings.(*C))
}

func envOnly[C any](fromEnv func(func(string) string) (*C, error)) func(func(string) string, *config.Config) (*C, error) {
	return func(getenv func(string) string, _ *config.Config) (*C, error) { return fromEnv(getenv) }
}

// Config is the gateway's configuration: its own settings and each
// configured source's, by source name.
type Config struct {
	*config.Config
	Sources map[string]any
}

// ConfigFromEnv reads the process environment.
func ConfigFromEnv() (*Config, error) { return ParseConfig(config.Getenv) }

// ParseConfig reads the gateway's settings and every source's through
// getenv. Every partly configured source is reported, not only the first.
func ParseConfig(getenv func(string) string) (*Config, error) {
	base, err := config.Parse(getenv, SourceNames()...)
	if err != nil {
		return nil, err
	}
	cfg := &Config{Config: base, Sources: map[string]any{}}
	var partial []error
	for _, s := range sourceTable {
		settings, err := s.readEnv(getenv, base)
		if err != nil {
			partial = append(partial, err)
		} else if settings != nil {
			cfg.Sources[s.sourceName()] = settings
		}
	}
	if len(partial) > 0 {
		return nil, errors.Join(partial...)
	}
	return cfg, nil
}

// Configured says whether the source's variables are set.
func (c *Config) Configured(source string) bool { return c.Sources[source] != nil }

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

func sandboxMseM(f *sandbox.Fakes, _ *Config) (*msem.Config, error) {
	f.MseM = msemfake.New(msemfake.Options{ClientID: sandbox.ClientID, ClientSecret: sandbox.ClientSecret})
	url, err := f.Serve(f.MseM)
	return &msem.Config{AuthURL: url, ServicesURL: url, ClientID: sandbox.ClientID, ClientSecret: sandbox.ClientSecret, Scope: "all", Channel: "SANDBOX"}, err
}

func openMseM(g *App, cfg *Config, sc *msem.Config) error {
	conf := *sc
	conf.Timeout = cfg.Upstream.TimeoutOf(msem.Source)
	c, err := msem.New(conf)
	if err != nil {
		return err
	}
	g.Notifications = notifications.New(c)
	g.checks[msem.Source] = g.Notifications.Check
	return nil
}

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

func gravitelFromEnv(getenv func(string) string, base *config.Config) (*gravitel.Config, error) {
	c, err := gravitel.ConfigFromEnv(getenv)
	if c != nil && base.PublicURL == "" {
		return nil, errors.New("SWITCHBOARD_PUBLIC_URL is required with GRAVITEL_*: the PBX calls the gateway back there")
	}
	return c, err
}

// sandboxGravitel plays calls stepping every two seconds so GraphiQL shows
// them live; the first plays soon after start and rings the documented
// examples, so that a fresh sandbox answers them within a minute.
func sandboxGravitel(f *sandbox.Fakes, _ *Config) (*gravitel.Config, error) {
	users, phones := f.Examples()
	f.PBX = gravitelfake.New(gravitelfake.Options{Login: sandbox.Username, Password: sandbox.Password, Seed: sandbox.Seed,
		StepDelay: 2 * time.Second, OutboundDelay: 3 * time.Second,
		ExampleUsers: users, ExamplePhones: phones, FirstScenario: sandbox.FirstCall})
	url, err := f.Serve(f.PBX)
	if err == nil {
		f.OnClose(func() error { f.PBX.Close(); return nil })
	}
	return &gravitel.Config{URL: url, Login: sandbox.Username, Password: sandbox.Password, CRMCode: "switchboard", CRMToken: sandbox.PBXToken}, err
}
