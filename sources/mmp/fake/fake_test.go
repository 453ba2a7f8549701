package fake_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"switchboard/sources/mmp/fake"
)

// vision360 fetches a plate's vision360 body over HTTP.
func vision360(t *testing.T, f *fake.Server, plate string) []byte {
	t.Helper()
	srv := httptest.NewServer(f)
	defer srv.Close()
	o := f.Options()
	resp, err := http.PostForm(srv.URL+"/api/"+o.Version+"/service-authentification/token", url.Values{
		"grant_type": {"password"}, "client_id": {o.ClientID}, "client_secret": {o.ClientSecret},
		"username": {o.Username}, "password": {o.Password}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/"+o.Version+"/"+o.Network+"/service-external-client/vehicule/vision360?lang=en",
		strings.NewReader(`{"immatriculation":"`+plate+`"}`))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", plate, resp.StatusCode, b)
	}
	return b
}

func TestDeterministic(t *testing.T) {
	a, b := fake.New(fake.Options{Seed: 7}), fake.New(fake.Options{Seed: 7})
	pa, pb := a.Plates(), b.Plates()
	if len(pa) < 1000 || strings.Join(pa, ",") != strings.Join(pb, ",") {
		t.Fatalf("fleets differ or too small: %d plates", len(pa))
	}
	for _, p := range []string{"ABC123", "AB123CD", pa[500], pa[len(pa)-1]} {
		if !bytes.Equal(vision360(t, a, p), vision360(t, b, p)) {
			t.Fatalf("%s differs between two fakes of one seed", p)
		}
	}
	c := fake.New(fake.Options{Seed: 8, Vehicles: 10})
	if c.Plates()[5] == pa[5] {
		t.Fatal("another seed gave the same fleet")
	}
	if vision360(t, a, "AB123CD")[0] != '{' {
		t.Fatal("not JSON")
	}
}

// TestCustomerPhones: the phones of a vehicle's customers, as vision360
// serves them, whatever the plate's spelling; nil for an unknown plate.
func TestCustomerPhones(t *testing.T) {
	f := fake.New(fake.Options{Seed: 7, Vehicles: 10})
	if got := f.CustomerPhones("abc-123"); len(got) != 1 || got[0] != "0612345678" {
		t.Errorf("ABC123: %v", got)
	}
	if got := f.CustomerPhones(fake.FullPlate); len(got) != 2 || got[0] != "0611223344" || got[1] != "0329112233" {
		t.Errorf("%s: %v", fake.FullPlate, got)
	}
	if got := f.CustomerPhones("ZZ-999-ZZ"); got != nil {
		t.Errorf("unknown plate: %v", got)
	}
}
