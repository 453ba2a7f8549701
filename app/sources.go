package app

import (
	"errors"

	"switchboard/graph/config"
	"switchboard/graph/sandbox"
	"switchboard/sources/clavus"
	"switchboard/sources/gravitel"
	"switchboard/sources/mmp"
	"switchboard/sources/msem"
	"switchboard/sources/shop"
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
