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
