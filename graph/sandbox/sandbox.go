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
	"switchboard/sources/phone"
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
	// firstCall is how soon after the gateway registers with the sandbox
	// PBX its first call plays.
	firstCall = 3 * time.Second
)

// examplePlate is the vehicle of the README's and the GraphiQL tabs'
// examples; the sandbox PBX rings its customers.
const examplePlate = "AB-123-CD"

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
		// Played calls step every two seconds so GraphiQL shows them live;
		// the first plays soon after start and rings the documented
		// examples, so that a fresh sandbox answers them within a minute.
		users, phones := f.examples()
		f.PBX = gravitelfake.New(gravitelfake.Options{Login: username, Password: password, Seed: seed,
			StepDelay: 2 * time.Second, OutboundDelay: 3 * time.Second,
			ExampleUsers: users, ExamplePhones: phones, FirstScenario: firstCall})
		url, err := f.serve(f.PBX)
		if err != nil {
			return nil, err
		}
		f.stops = append(f.stops, func() error { f.PBX.Close(); return nil })
		cfg.Gravitel = &config.Gravitel{URL: url, Login: username, Password: password, CRMCode: "switchboard", CRMToken: pbxToken}
	}
	return f, nil
}

// examples are who the README's cookbook and the GraphiQL tabs ask about,
// read from the fakes' own data: the first active Clavus user (user1, the
// user the PBX's cmd=users learns first) and the phones of the example
// vehicle's MMP customers, as the PBX writes them (E.164 digits).
func (f *Fakes) examples() (users, phones []string) {
	if f.Clavus != nil {
		for _, u := range f.Clavus.Users() {
			if u.Active {
				users = append(users, u.ID)
				break
			}
		}
	}
	if f.MMP != nil {
		for _, p := range f.MMP.CustomerPhones(examplePlate) {
			if e164, err := phone.Normalize(p); err == nil {
				phones = append(phones, e164)
			}
		}
	}
	return users, phones
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
