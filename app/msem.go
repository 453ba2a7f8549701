// MseM in the composition: its sandbox fake and what its row opens.

package app

import (
	"switchboard/graph/notifications"
	"switchboard/graph/sandbox"
	"switchboard/sources/msem"
	msemfake "switchboard/sources/msem/fake"
)

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
