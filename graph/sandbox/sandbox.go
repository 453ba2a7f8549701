package sandbox

import (
	"errors"
	"net/http"
	"time"

	"switchboard/graph/config"
	clavusfake "switchboard/sources/clavus/fake"
	gravitelfake "switchboard/sources/gravitel/fake"
	mmpfake "switchboard/sources/mmp/fake"
	msemfake "switchboard/sources/msem/fake"
	shopfake "switchboard/sources/shop/fake"
)

// Sandbox credentials: the fakes accept these and nothing else, so the
// sandbox still exercises every auth flow.
const (
	clientID     = "switchboard-sandbox"
	clientSecret = "sandbox-secret"
	username     = "sandbox@switchboard.local"
	password     = "sandbox-password"
	seed         = 360
	pbxToken     = "sandbox-crm-token"
)

// Fakes are the fakes running for one gateway; a field is nil when that
// source is configured for its real API.
type Fakes struct {
	MMP    *mmpfake.Server
	Shop   *shopfake.Server
	MseM   *msemfake.Server
	Clavus *clavusfake.Server
	PBX    *gravitelfake.Server

	stops []func() error
}

// Start runs a fake for every source cfg leaves unconfigured and fills
// cfg in to point at it.
func Start(cfg *config.Config) (*Fakes, error) {
	f := &Fakes{}
	if cfg.MMP == nil {
		f.MMP = mmpfake.New(mmpfake.Options{
			ClientID: clientID, ClientSecret: clientSecret, Username: username, Password: password,
			Version: "v1", Network: "sandbox", Seed: seed, Vehicles: 1000,
		})
		url, err := f.serve(f.MMP)
		if err != nil {
			return nil, err
		}
		cfg.MMP = &config.MMP{BaseURL: url, Version: "v1", Network: "sandbox", ClientID: clientID,
			ClientSecret: clientSecret, Username: username, Password: password}
	}
	if cfg.Shop == nil {
		f.Shop = shopfake.New(shopfake.Options{ClientID: clientID, ClientSecret: clientSecret, Seed: seed, Interfaces: shopfake.DefaultInterfaces})
		url, err := f.serve(f.Shop)
		if err != nil {
			return nil, err
		}
		cfg.Shop = &config.Shop{BaseURL: url, ClientID: clientID, ClientSecret: clientSecret}
	}
	if cfg.MseM == nil {
		f.MseM = msemfake.New(msemfake.Options{ClientID: clientID, ClientSecret: clientSecret})
		url, err := f.serve(f.MseM)
		if err != nil {
			return nil, err
		}
		cfg.MseM = &config.MseM{AuthURL: url, ServicesURL: url, ClientID: clientID, ClientSecret: clientSecret, Scope: "all", Channel: "SANDBOX"}
	}
	if cfg.Clavus == nil {
		f.Clavus = clavusfake.New(clavusfake.Options{APIKey: clientSecret, Seed: seed})
		url, err := f.serve(f.Clavus)
		if err != nil {
			return nil, err
		}
		cfg.Clavus = &config.Clavus{URL: url + "/api/external/graphql", APIKey: clientSecret}
	}
	if cfg.Gravitel == nil {
		// Played calls step every two seconds so GraphiQL shows them live.
		f.PBX = gravitelfake.New(gravitelfake.Options{Login: username, Password: password, Seed: seed,
			StepDelay: 2 * time.Second, OutboundDelay: 3 * time.Second})
		url, err := f.serve(f.PBX)
		if err != nil {
			return nil, err
		}
		f.stops = append(f.stops, func() error { f.PBX.Close(); return nil })
		cfg.Gravitel = &config.Gravitel{URL: url, Login: username, Password: password, CRMCode: "switchboard", CRMToken: pbxToken}
	}
	return f, nil
}

func (f *Fakes) serve(h http.Handler) (string, error) {
	url, stop, err := serve(h)
	if err != nil {
		f.Close()
		return "", err
	}
	f.stops = append(f.stops, stop)
	return url, nil
}

// Close stops every fake.
func (f *Fakes) Close() error {
	var err error
	for _, stop := range f.stops {
		err = errors.Join(err, stop())
	}
	return err
}
