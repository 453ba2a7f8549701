package sandbox

import (
	"errors"
	"net/http"
	"time"

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
	ClientID     = "switchboard-sandbox"
	ClientSecret = "sandbox-secret"
	Username     = "sandbox@switchboard.local"
	Password     = "sandbox-password"
	Seed         = 360
	PBXToken     = "sandbox-crm-token"
	// FirstCall is how soon after the gateway registers with the sandbox
	// PBX its first call plays.
	FirstCall = 3 * time.Second
)

// examplePlate is the vehicle of the README's and the GraphiQL tabs'
// examples; the sandbox PBX rings its customers.
const examplePlate = "AB-123-CD"

// Fakes are the fakes running for one gateway; a field is nil when that
// source is configured for its real API. The composition root's table of
// sources starts each one (app/<name>.go) and records it here for the
// tests and the sandbox's own scenarios.
type Fakes struct {
	MMP    *mmpfake.Server
	Shop   *shopfake.Server
	MseM   *msemfake.Server
	Clavus *clavusfake.Server
	PBX    *gravitelfake.Server

	stops []func() error
}

// Examples are who the README's cookbook and the GraphiQL tabs ask about,
// read from the fakes' own data: the first active Clavus user (user1, the
// user the PBX's cmd=users learns first) and the phones of the example
// vehicle's MMP customers, as the PBX writes them (E.164 digits).
func (f *Fakes) Examples() (users, phones []string) {
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

// Serve runs h on a loopback port until Close, returning its base URL.
func (f *Fakes) Serve(h http.Handler) (string, error) {
	url, stop, err := serve(h)
	if err != nil {
		return "", err
	}
	f.stops = append(f.stops, stop)
	return url, nil
}

// OnClose runs stop at Close, after the servers started before it.
func (f *Fakes) OnClose(stop func() error) { f.stops = append(f.stops, stop) }

// Close stops every fake.
func (f *Fakes) Close() error {
	var err error
	for _, stop := range f.stops {
		err = errors.Join(err, stop())
	}
	return err
}
