package mmp_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"switchboard/sources/mmp"
	"switchboard/sources/mmp/fake"
	"switchboard/sources/upstream"
)

func TestCampaignCustomers(t *testing.T) {
	for name, r := range readings {
		t.Run(name, func(t *testing.T) { testCampaignCustomers(t, newEnvReading(t, r), r == fake.OtherReading) })
	}
}

// testCampaignCustomers walks every page of 920150. The document's reading
// sends no paging block (nothing is made up: LastPage and Total stay nil);
// the other reading sends one, which is read.
func testCampaignCustomers(t *testing.T, e *env, paged bool) {
	first := must[*mmp.CampaignPage](t)(e.client.CampaignCustomers(ctx(t), "920150", 0))
	if first.Header != (mmp.CampaignHeader{ID: 78612}) || first.Page != 1 || (first.Total != nil) != paged || (first.LastPage != nil) != paged {
		t.Fatalf("first page %+v", first)
	}
	total, found, page := 0, false, 1
	for ; ; page++ {
		p := must[*mmp.CampaignPage](t)(e.client.CampaignCustomers(ctx(t), "920150", page))
		n := 0
		for _, c := range p.Campaigns {
			n += len(c.Clients)
			if c.DiffusionDate.IsZero() || c.CreationDate.IsZero() || c.PredictionDate.IsZero() {
				t.Fatalf("campaign dates %+v", c)
			}
			for _, cl := range c.Clients {
				if c.ID == 1469 && cl.LastName == "DUPONT PHILLIPE" {
					found = cl.Vehicle == (mmp.CampaignVehicle{Plate: "ABC123", Brand: "Renault", Model: "MEGANE"}) &&
						cl.Operation.Label == "Plaquettes de freins AVANT" && cl.Promotions[0].ID == 323 &&
						cl.Diffusion == (mmp.CampaignDiffusion{SMS: true}) && c.DiffusionDate.String() == "2021-08-17"
				}
			}
		}
		if p.Page != page || n > 20 {
			t.Fatalf("page %d: %d customers, %+v", page, n, p)
		}
		if n == 0 {
			break
		}
		total += n
	}
	if !found || total <= 20 {
		t.Fatalf("walked %d customers; DUPONT found: %v", total, found)
	}
	if paged && (*first.Total != total || *first.LastPage != page-1 || !is(first.PerPage, 20)) {
		t.Fatalf("paging block %+v, walked %d customers on %d pages", first, total, page-1)
	}
	if n := e.gate.Hits("/api/" + e.fake.Options().Network + "/service-external-client/adherents/920150/campagnes-clients"); n == 0 {
		t.Fatal("the versionless path of the seed was not used")
	}

	_, err := e.client.CampaignCustomers(ctx(t), "000000", 1)
	wantKind(t, err, upstream.KindNotFound)
	_, err = e.client.CampaignCustomers(ctx(t), " ", 1)
	wantKind(t, err, upstream.KindBadInput)
}

// A campagneList nested in data, null names and PHP's quirks are read.
func TestCampaignCustomersNestedNoPaging(t *testing.T) {
	e := newEnv(t)
	e.gate.override = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"data":{"id":"78612","articleCode":null,"articleLibelle":"Pneus",
			"campagneList":[{"id":1465,"dateDiffusion":"2021-07-13","datePrediction":"2021-08-01","dateCreation":"2021-07-06",
			"clientList":[{"civilite":"Mr","prenom":null,"nom":"DUPONT PHILLIPE","vehicule":{"immatriculation":"ABC123","marque":"Renault","modele":"MEGANE"},
			"operation":{"id":5,"label":"Plaquettes"},"promotion":[],"diffusion":{"sms":"1","email":0,"courrier":false}}]}]},
			"message":"OK","errors":[]}`))
	}
	p := must[*mmp.CampaignPage](t)(e.client.CampaignCustomers(ctx(t), "920150", 3))
	if p.Page != 3 || p.LastPage != nil || p.Total != nil || len(p.Campaigns) != 1 || p.Campaigns[0].Clients[0].FirstName != "" ||
		p.Header != (mmp.CampaignHeader{ID: 78612, ArticleLabel: "Pneus"}) || p.Campaigns[0].Clients[0].Diffusion != (mmp.CampaignDiffusion{SMS: true}) {
		t.Fatalf("got %+v", p)
	}
}

func TestBlacklist(t *testing.T) {
	e := newEnv(t)
	j := must[[]mmp.BlacklistEntry](t)(e.client.Blacklist(ctx(t)))
	c := must[[]mmp.BlacklistEntry](t)(e.client.BlacklistCSV(ctx(t)))
	if len(j) < 2 || !reflect.DeepEqual(j, c) {
		t.Fatalf("JSON (%d) and CSV (%d) differ", len(j), len(c))
	}
	want := mmp.BlacklistEntry{ClientID: 58445960, FirstName: "WILLIS", LastName: "EMMANUEL", ReminderSMS: true,
		SyncDmsPhone: true, Privacy: "telephone mobile | telephone professionnel | email", Mobile: "0630553444",
		Email: "w.emmanuel@mail.com", MemberShortName: "SAS GARAGE", PostalCode: "55200", MemberPoSCode: "417728CZ"}
	found := false
	for _, b := range c {
		found = found || b == want
	}
	if !found {
		t.Fatalf("seed entry missing from %+v", c[:2])
	}
	if n := e.fake.Knobs.Calls("blacklist"); n != 2 {
		t.Fatalf("blacklist calls %d", n)
	}
}

func TestBlacklistCSVRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		status int
		body   string
		kind   upstream.Kind
	}{
		"envelope refusal": {200, `{"success":false,"data":[],"message":"Réseau inconnu","errors":{}}`, upstream.KindNotFound},
		"HTML page":        {200, `<html><body>login</body></html>`, upstream.KindInvalidResponse},
		"ragged CSV":       {200, "clientId;clientNom\n1;A;extra\n", upstream.KindInvalidResponse},
		"403":              {403, `{"message":"Forbidden"}`, upstream.KindUnauthorized},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.gate.override = func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("output") != "csv" {
					t.Errorf("query %q", r.URL.RawQuery)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}
			_, err := e.client.BlacklistCSV(ctx(t))
			wantKind(t, err, tc.kind)
		})
	}
}

func TestUploadCustomerInvoices(t *testing.T) {
	e := newEnv(t)
	res := must[*mmp.UploadResult](t)(uploadBytes(t, e.client, "57525", "export-2025-06.zip", zipOf(t, "clients.csv", "factures.csv")))
	if !res.Success || res.Message != "Le fichier a été importé avec succès." {
		t.Fatalf("got %+v", res)
	}
	ups := e.fake.Uploads()
	if len(ups) != 1 || !ups[0].Accepted || ups[0].OrganizationID != "57525" || ups[0].Filename != "export-2025-06.zip" ||
		!reflect.DeepEqual(ups[0].Files, []string{"clients.csv", "factures.csv"}) {
		t.Fatalf("fake received %+v", ups)
	}

	_, err := uploadBytes(t, e.client, "57525", "", []byte("clientDmsId;clientNom\n5678;DUPONT\n"))
	ue := wantKind(t, err, upstream.KindRejected)
	if ue.Status != 400 || !strings.Contains(ue.Message, "importFile: The import file must be a file of type: zip.") {
		t.Fatalf("got %+v", ue)
	}
	if ups := e.fake.Uploads(); len(ups) != 2 || ups[1].Accepted || ups[1].Filename != "import.zip" {
		t.Fatalf("fake received %+v", ups)
	}
	if n := e.fake.Knobs.Calls("clients-factures"); n != 2 {
		t.Fatalf("%d upload calls, want 2 (no retry)", n)
	}

	for _, bad := range []struct{ org, file string }{{"", "x"}, {"57525", ""}} {
		_, err := uploadBytes(t, e.client, bad.org, "a.zip", []byte(bad.file))
		wantKind(t, err, upstream.KindBadInput)
	}
	if n := e.fake.Knobs.Calls("clients-factures"); n != 2 {
		t.Fatal("refused input reached the upstream")
	}
}

func TestUploadInnerFailure(t *testing.T) {
	e := newEnv(t)
	e.gate.override = func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"success":true,"data":{"success":false,"message":"Fichier clients manquant"},"message":"OK","errors":[]}`))
	}
	_, err := uploadBytes(t, e.client, "57525", "a.zip", zipOf(t, "factures.csv"))
	if ue := wantKind(t, err, upstream.KindRejected); ue.Message != "Fichier clients manquant" {
		t.Fatalf("got %+v", ue)
	}
}
