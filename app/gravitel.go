// Gravitel (the PBX) in the composition: its sandbox fake and what its row opens.

package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"switchboard/graph/calls"
	"switchboard/graph/config"
	"switchboard/graph/sandbox"
	"switchboard/graph/telephony"
	"switchboard/sources/clavus"
	"switchboard/sources/gravitel"
	gravitelfake "switchboard/sources/gravitel/fake"
	"switchboard/sources/mmp"
)

// sandboxCallEvery paces the sandbox PBX's played calls.
const sandboxCallEvery = 20 * time.Second

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
		if err := b.Retain(cfg.CallRetention); err != nil {
			b.Close()
			return err
		}
		store = b
	}
	g.closers = append(g.closers, store.Close)
	opts := telephony.Options{Client: c, Store: store, Bus: g.Bus, Cache: g.Cache, CRMToken: pbx.CRMToken, Logger: g.log, Marks: g.Idempotency}
	if g.Folders != nil {
		opts.Lookups = append(opts.Lookups, telephony.Lookup{Source: clavus.Source, Find: g.clavusCaller})
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
