package shop_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/sources/internal/clock"
	"switchboard/sources/shop"
	"switchboard/sources/shop/fake"
	"switchboard/sources/upstream"
	"switchboard/sources/upstream/upstreamtest"
)

type env struct {
	fake   *fake.Server
	srv    *httptest.Server
	client *shop.Client
	clock  *clock.Manual
	// firstToken is what the first token costs: under the alternate
	// reading the query credentials are refused once, then JSON is kept.
	firstToken int
}

// readings are the two readings of the document the fake serves; the tests
// that talk to the fake run under both.
var readings = []struct {
	name string
	opts fake.Options
}{
	{"document", fake.Options{Seed: 42}},
	{"alternate", fake.Options{Seed: 42, Alternate: true}},
}

func forReadings(t *testing.T, test func(*testing.T, *env)) {
	for _, r := range readings {
		t.Run(r.name, func(t *testing.T) { test(t, newEnvWith(t, r.opts)) })
	}
}

func newEnv(t *testing.T) *env { return newEnvWith(t, fake.Options{Seed: 42}) }

func newEnvWith(t *testing.T, opts fake.Options) *env {
	t.Helper()
	f := fake.New(opts)
	clk := clock.NewManual(time.Now())
	f.Now = clk.Now
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	id, secret := f.Credentials()
	c, err := shop.New(shop.Config{BaseURL: srv.URL, ClientID: id, ClientSecret: secret, HTTP: srv.Client(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	first := 1
	if opts.Alternate {
		first = 2
	}
	return &env{fake: f, srv: srv, client: c, clock: clk, firstToken: first}
}

func wantKind(t *testing.T, err error, kind upstream.Kind) *upstream.Error {
	t.Helper()
	return upstreamtest.WantKind(t, err, "shop", kind)
}

func TestNewValidatesConfig(t *testing.T) {
	for _, cfg := range []shop.Config{
		{},
		{BaseURL: "not a url", ClientID: "a", ClientSecret: "b"},
		{BaseURL: "https://api.example", ClientID: "a"},
	} {
		if _, err := shop.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

func TestInterfaces(t *testing.T) { forReadings(t, testInterfaces) }

func testInterfaces(t *testing.T, e *env) {
	ctx := context.Background()
	keys, err := e.client.Interfaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 200 {
		t.Fatalf("got %d interfaces, want ≥200", len(keys))
	}
	tests := []struct {
		status shop.Status
		name   string
		check  func(*shop.Interface) bool
	}{
		{shop.StatusActive, "ACTIVE", func(i *shop.Interface) bool { return i.URL != "" && i.AdminURL != "" && i.DeletionDate.IsZero() }},
		{shop.StatusPending, "PENDING", func(i *shop.Interface) bool { return i.FormURL != "" && i.URL == "" }},
		{shop.StatusDisabled, "DISABLED", func(i *shop.Interface) bool { return i.DeletionDate.After(e.clock.Now()) }},
		{shop.StatusDeleted, "DELETED", func(i *shop.Interface) bool { return !i.DeletionDate.IsZero() && i.DeletionDate.Before(e.clock.Now()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ks := e.fake.Keys(int(tt.status))
			if len(ks) == 0 {
				t.Fatal("no seeded interface with that status")
			}
			itf, err := e.client.Interface(ctx, ks[0])
			if err != nil {
				t.Fatal(err)
			}
			if itf.Key != ks[0] || itf.Status != tt.status || itf.Status.String() != tt.name {
				t.Fatalf("got %+v", itf)
			}
			if itf.CreatedAt.IsZero() || itf.CreatedAt.Location() != shop.Paris {
				t.Fatalf("created %v", itf.CreatedAt)
			}
			if !tt.check(itf) {
				t.Fatalf("unexpected fields %+v", itf)
			}
		})
	}
	_, err = e.client.Interface(ctx, "00000000-0000-4000-8000-000000000000")
	wantKind(t, err, upstream.KindNotFound)
	_, err = e.client.Interface(ctx, " ")
	wantKind(t, err, upstream.KindBadInput)
}

func TestStatusString(t *testing.T) {
	if shop.Status(7).String() != "Status(7)" || shop.Status(7).Valid() {
		t.Fatal("unknown status")
	}
}

func catalogue(t *testing.T, e *env) []shop.Prestation {
	t.Helper()
	cat, err := e.client.Catalogue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestCatalogue(t *testing.T) { forReadings(t, testCatalogue) }

func testCatalogue(t *testing.T, e *env) {
	ctx := context.Background()
	codes, err := e.client.Prestations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 20 {
		t.Fatalf("%d prestations", len(codes))
	}
	p, err := e.client.Prestation(ctx, "IN-ECO-S")
	if err != nil {
		t.Fatal(err)
	}
	if p.Code != "IN-ECO-S" || p.Name == "" || p.Price == nil || *p.Price != 490 || !slices.Equal(p.Associated, []string{"IN-ECO-AMM", "IN-ECO-AMA"}) || !strings.Contains(p.LongDescription, "<p>") {
		t.Fatalf("got %+v", p)
	}
	cat := catalogue(t, e)
	if len(cat) != len(codes) || cat[0].Code != codes[0] || cat[len(cat)-1].Code != codes[len(codes)-1] {
		t.Fatal("catalogue does not follow the list")
	}
	_, err = e.client.Prestation(ctx, "XX-NOPE")
	wantKind(t, err, upstream.KindNotFound)
}

func ruleOf(err error) string {
	var re *upstream.InputError
	if errors.As(err, &re) {
		return re.Rule
	}
	return ""
}

func TestCreateRules(t *testing.T) { forReadings(t, testCreateRules) }

func testCreateRules(t *testing.T, e *env) {
	cat := catalogue(t, e)
	ctx := context.Background()
	tests := []struct {
		name  string
		codes []string
		rule  string
	}{
		{"setup and subscription", []string{"IN-ECO-S", "IN-ECO-AMM"}, ""},
		{"with options", []string{"IN-PRO-S", "IN-PRO-AMA", "OP-LOGO", "MO-BLOG-S", "MO-ECOM-S", "MO-ECOM-AMM"}, ""},
		{"empty", nil, shop.RuleEmptyOrder},
		{"unknown code", []string{"IN-ECO-S", "IN-ECO-AMM", "ZZ-NOPE"}, shop.RuleUnknownCode},
		{"no setup", []string{"OP-LOGO"}, shop.RuleOneSetup},
		{"two setups", []string{"IN-ECO-S", "IN-ECO-AMM", "IN-PRO-S", "IN-PRO-AMM"}, shop.RuleOneSetup},
		{"setup without subscription", []string{"IN-ECO-S"}, shop.RuleAssociation},
		{"subscription of another setup", []string{"IN-ECO-S", "IN-ECO-AMM", "IN-PRO-AMM"}, shop.RuleAssociation},
		{"module without its subscription", []string{"IN-ECO-S", "IN-ECO-AMM", "MO-NEWSLETTER-S"}, shop.RuleAssociation},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleOf(shop.ValidateCreate(tt.codes, cat)); got != tt.rule {
				t.Fatalf("ValidateCreate rule = %q, want %q", got, tt.rule)
			}
			req := shop.CreateInterfaceRequest{
				GUID: "T-" + tt.name, Prestations: tt.codes, Subdomain: "fleurs-" + string(rune('a'+i)),
				Client: shop.Customer{LastName: "Dupont", FirstName: "Léa", Company: "Fleurs de Léa", Email: "lea@fleurs.fr", City: "Annecy", Country: "France"},
			}
			key, err := e.client.CreateInterface(ctx, req)
			switch {
			case tt.rule == shop.RuleEmptyOrder:
				wantKind(t, err, upstream.KindBadInput)
			case tt.rule != "":
				ue := wantKind(t, err, upstream.KindRejected)
				if ue.Status != 400 || ue.Message == "" {
					t.Fatalf("got %+v", ue)
				}
			case err != nil:
				t.Fatal(err)
			default:
				itf, err := e.client.Interface(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
				if itf.Status != shop.StatusPending || itf.FormURL == "" || time.Since(itf.CreatedAt) > time.Minute {
					t.Fatalf("new interface %+v", itf)
				}
				got, err := e.client.InterfacePrestations(ctx, key)
				if err != nil || !slices.Equal(got, tt.codes) {
					t.Fatalf("prestations %v %v", got, err)
				}
				cr := e.fake.Creations()
				last := cr[len(cr)-1]
				if last.Key != key || last.GUID != req.GUID || last.Client["nom"] != "Dupont" || last.Client["email"] != "lea@fleurs.fr" || last.Subdomain != req.Subdomain {
					t.Fatalf("fake received %+v", last)
				}
			}
		})
	}
	t.Run("duplicate guid", func(t *testing.T) {
		req := shop.CreateInterfaceRequest{GUID: "T-setup and subscription", Prestations: []string{"IN-ECO-S", "IN-ECO-AMM"}, Client: shop.Customer{LastName: "X", Email: "x@y.fr"}}
		wantKind(t, firstErr(e.client.CreateInterface(ctx, req)), upstream.KindRejected)
	})
	t.Run("missing client email", func(t *testing.T) {
		req := shop.CreateInterfaceRequest{GUID: "T-noemail", Prestations: []string{"IN-ECO-S", "IN-ECO-AMM"}, Client: shop.Customer{LastName: "X"}}
		wantKind(t, firstErr(e.client.CreateInterface(ctx, req)), upstream.KindRejected)
	})
	t.Run("missing guid", func(t *testing.T) {
		wantKind(t, firstErr(e.client.CreateInterface(ctx, shop.CreateInterfaceRequest{Prestations: []string{"IN-ECO-S"}})), upstream.KindBadInput)
	})
	if n := e.fake.Knobs.Calls("create_interface"); n != 10 {
		t.Fatalf("create_interface calls = %d, want 10 (no retries of POST)", n)
	}
}

func firstErr[T any](_ T, err error) error { return err }

func TestAddRules(t *testing.T) { forReadings(t, testAddRules) }

// interfaceWhere is an active interface whose active codes satisfy ok.
func interfaceWhere(t *testing.T, e *env, ok func(active []string) bool) string {
	t.Helper()
	for _, k := range e.fake.Keys(fake.StatusActive) {
		if ok(e.fake.ActiveCodes(k)) {
			return k
		}
	}
	t.Fatal("no seeded interface fits")
	return ""
}

func testAddRules(t *testing.T, e *env) {
	cat := catalogue(t, e)
	ctx := context.Background()
	// leaning are the codes the cases' associations could lean on: the
	// interface they are added to has none of them active.
	leaning := []string{"IN-ECO-S", "IN-ECO-AMM", "MO-MULTILANG-S", "MO-MULTILANG-AMM", "MO-NEWSLETTER-S", "MO-NEWSLETTER-AMM", "MO-ECOM-AMM", "IN-VITR-AMM", "IN-VITR-AMA", "IN-BTQZ-AMM", "IN-BTQZ-AMA"}
	key := interfaceWhere(t, e, func(active []string) bool {
		return !slices.ContainsFunc(active, func(c string) bool { return slices.Contains(leaning, c) })
	})
	tests := []struct {
		name  string
		codes []string
		rule  string
	}{
		{"option", []string{"OP-LOGO"}, ""},
		{"module and subscription", []string{"MO-MULTILANG-S", "MO-MULTILANG-AMM"}, ""},
		{"e-commerce module", []string{"MO-ECOM-S", "MO-ECOM-AMM"}, ""},
		{"empty", nil, shop.RuleEmptyOrder},
		{"unknown", []string{"OP-NOPE"}, shop.RuleUnknownCode},
		{"setup", []string{"IN-ECO-S", "IN-ECO-AMM"}, shop.RuleNoSetupOnAdd},
		{"module alone", []string{"MO-NEWSLETTER-S"}, shop.RuleAssociation},
		{"subscription alone", []string{"IN-ECO-AMM"}, shop.RuleAssociation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleOf(shop.ValidateAdd(tt.codes, e.fake.ActiveCodes(key), cat)); got != tt.rule {
				t.Fatalf("ValidateAdd rule = %q, want %q", got, tt.rule)
			}
			links, err := e.client.AddPrestations(ctx, key, tt.codes)
			switch {
			case tt.rule == shop.RuleEmptyOrder:
				wantKind(t, err, upstream.KindBadInput)
			case tt.rule != "":
				wantKind(t, err, upstream.KindRejected)
			case err != nil:
				t.Fatal(err)
			default:
				if len(links) != len(tt.codes) {
					t.Fatalf("links %+v", links)
				}
				for i, l := range links {
					if l.Code != tt.codes[i] || len(l.Reference) != 13 {
						t.Fatalf("link %+v", l)
					}
					if (l.Code == "MO-ECOM-S") != (l.FormURL != "") {
						t.Fatalf("form URL on %+v", l)
					}
				}
			}
		})
	}
	t.Run("associated prestation already active", func(t *testing.T) {
		key := interfaceWhere(t, e, func(active []string) bool { return slices.Contains(active, "IN-BTQZ-AMA") })
		order := []string{"MO-ECOM-S"}
		if got := ruleOf(shop.ValidateAdd(order, nil, cat)); got != shop.RuleAssociation {
			t.Fatalf("alone in the order: rule %q, want %q", got, shop.RuleAssociation)
		}
		if err := shop.ValidateAdd(order, e.fake.ActiveCodes(key), cat); err != nil {
			t.Fatalf("with IN-BTQZ-AMA active: %v", err)
		}
		if links, err := e.client.AddPrestations(ctx, key, order); err != nil || len(links) != 1 {
			t.Fatal(links, err)
		}
	})
	_, err := e.client.AddPrestations(ctx, "nope", []string{"OP-LOGO"})
	wantKind(t, err, upstream.KindNotFound)
	_, err = e.client.AddPrestations(ctx, e.fake.Keys(fake.StatusDeleted)[0], []string{"OP-LOGO"})
	wantKind(t, err, upstream.KindRejected)
}

func TestIsSetup(t *testing.T) {
	for code, want := range map[string]bool{"IN-ECO-S": true, "IN-BTQST-S": true, "MO-ARTCRITERES-S": false, "IN-ECO-AMM": false, "IN--S": false, "IN-S": false} {
		if shop.IsSetup(code) != want {
			t.Errorf("IsSetup(%q) != %v", code, want)
		}
	}
}

func TestDeletionLifecycle(t *testing.T) { forReadings(t, testDeletionLifecycle) }

func testDeletionLifecycle(t *testing.T, e *env) {
	ctx := context.Background()
	key := e.fake.Keys(fake.StatusActive)[0]
	status := func() shop.Status {
		t.Helper()
		itf, err := e.client.Interface(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return itf.Status
	}
	_, err := e.client.ReactivateInterface(ctx, key)
	wantKind(t, err, upstream.KindRejected) // no deletion requested
	at, err := e.client.DeleteInterface(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if d := at.Sub(e.clock.Now()); d < 89*24*time.Hour || d > 91*24*time.Hour {
		t.Fatalf("deletion date %v is not 90 days away", at)
	}
	if s := status(); s != shop.StatusDisabled {
		t.Fatalf("status %v", s)
	}
	_, err = e.client.DeleteInterface(ctx, key)
	wantKind(t, err, upstream.KindRejected)
	re, err := e.client.ReactivateInterface(ctx, key)
	if err != nil || re.At.IsZero() || re.At.Location() != shop.Paris || e.clock.Now().Sub(re.At) > time.Minute {
		t.Fatal(re, err)
	}
	if s := status(); s != shop.StatusActive {
		t.Fatalf("status %v", s)
	}
	if _, err := e.client.DeleteInterface(ctx, key); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(91 * 24 * time.Hour)
	e.fake.ExpireTokens()
	if s := status(); s != shop.StatusDeleted {
		t.Fatalf("status %v after 91 days", s)
	}
	_, err = e.client.ReactivateInterface(ctx, key)
	wantKind(t, err, upstream.KindRejected)
	_, err = e.client.DeleteInterface(ctx, "nope")
	wantKind(t, err, upstream.KindNotFound)
}

func TestInterfacePrestationsAndCancel(t *testing.T) {
	forReadings(t, testInterfacePrestationsAndCancel)
}

func testInterfacePrestationsAndCancel(t *testing.T, e *env) {
	ctx := context.Background()
	key := e.fake.Keys(fake.StatusActive)[1]
	if _, err := e.client.AddPrestations(ctx, key, []string{"OP-PAGE", "OP-PAGE", "OP-PAGE"}); err != nil {
		t.Fatal(err)
	}
	codes, err := e.client.InterfacePrestations(ctx, key)
	if err != nil || !slices.Contains(codes, "OP-PAGE") || !IsSetupIn(codes) {
		t.Fatal(codes, err)
	}
	lines, err := e.client.InterfacePrestation(ctx, key, "OP-PAGE")
	if err != nil {
		t.Fatal(err)
	}
	var live []shop.OrderedPrestation
	for _, l := range lines {
		if !l.Cancelled {
			live = append(live, l)
		}
	}
	if len(live) < 3 {
		t.Fatalf("want ≥3 live OP-PAGE, got %+v", lines)
	}
	got, err := e.client.CancelPrestation(ctx, key, live[0].Reference)
	if err != nil || len(got) != 1 || got[0].Reference != live[0].Reference {
		t.Fatal(got, err)
	}
	got, err = e.client.CancelPrestation(ctx, key, "OP-PAGE")
	if err != nil || len(got) != len(live)-1 {
		t.Fatal(got, err)
	}
	lines, err = e.client.InterfacePrestation(ctx, key, "OP-PAGE")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if !l.Cancelled || l.CancelledAt.IsZero() || l.CreatedAt.IsZero() {
			t.Fatalf("not cancelled: %+v", l)
		}
	}
	_, err = e.client.CancelPrestation(ctx, key, "OP-PAGE")
	wantKind(t, err, upstream.KindRejected) // already cancelled
	_, err = e.client.CancelPrestation(ctx, key, "OP-NOPE")
	wantKind(t, err, upstream.KindNotFound)
	_, err = e.client.InterfacePrestation(ctx, key, "OP-NOPE")
	wantKind(t, err, upstream.KindNotFound)
	_, err = e.client.InterfacePrestations(ctx, "nope")
	wantKind(t, err, upstream.KindNotFound)
}

func IsSetupIn(codes []string) bool { return slices.ContainsFunc(codes, shop.IsSetup) }

func TestTokenReuseAndRefresh(t *testing.T) { forReadings(t, testTokenReuseAndRefresh) }

func testTokenReuseAndRefresh(t *testing.T, e *env) {
	ctx := context.Background()
	for range 5 {
		if _, err := e.client.Prestations(ctx); err != nil {
			t.Fatal(err)
		}
	}
	extra := e.firstToken - 1
	if n := e.fake.Knobs.Calls("token") - extra; n != 1 {
		t.Fatalf("token calls = %d (+%d), want 1 (reuse)", n, extra)
	}
	e.fake.ExpireTokens()
	if _, err := e.client.Prestations(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.Knobs.Calls("token") - extra; n != 2 {
		t.Fatalf("token calls = %d (+%d), want 2 after a 401 (the working style is kept)", n, extra)
	}
	e.clock.Add(fake.TokenTTL + time.Second)
	if _, err := e.client.Interfaces(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.Knobs.Calls("token") - extra; n != 3 {
		t.Fatalf("token calls = %d (+%d), want 3 after expiry", n, extra)
	}
}

func TestBadCredentials(t *testing.T) { forReadings(t, testBadCredentials) }

func testBadCredentials(t *testing.T, e *env) {
	c, err := shop.New(shop.Config{BaseURL: e.srv.URL, ClientID: "switchboard", ClientSecret: "wrong-secret-value"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Interfaces(context.Background())
	ue := wantKind(t, err, upstream.KindUnauthorized)
	if ue.Status != 401 || strings.Contains(err.Error(), "wrong-secret-value") || !strings.Contains(ue.Message, "identifiants") {
		t.Fatalf("got %v", err)
	}
}

func TestFakeTokenPlacesAndRoutes(t *testing.T) {
	e := newEnv(t)
	id, secret := e.fake.Credentials()
	get := func(method, path, body string, hdr map[string]string) (int, string) {
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	_, body := get("GET", "/token?client_id="+id+"&client_secret="+secret, "", nil)
	tok := strings.Split(strings.Split(body, `"access_token":"`)[1], `"`)[0]
	tests := []struct {
		name, method, path, body string
		hdr                      map[string]string
		status                   int
		want                     string
	}{
		{"header", "GET", "/prestations", "", map[string]string{"Authorization": "Bearer " + tok}, 200, "IN-VITR-S"},
		{"query", "GET", "/prestations?token=" + tok, "", nil, 200, "IN-VITR-S"},
		{"json body", "POST", "/interfaces/" + e.fake.Keys(fake.StatusActive)[0] + "/prestations", `{"token":"` + tok + `","prestations":["OP-LOGO"]}`, nil, 200, "OP-LOGO"},
		{"bare array body", "POST", "/interfaces/" + e.fake.Keys(fake.StatusActive)[0] + "/prestations?token=" + tok, `["OP-SEO-AUDIT"]`, nil, 200, "OP-SEO-AUDIT"},
		{"missing", "GET", "/prestations", "", nil, 401, `{"error":true,"message":"Le jeton est manquant"}`},
		{"invalid", "GET", "/prestations?token=abc", "", nil, 401, `{"error":true,"message":"Le jeton est invalide"}`},
		{"unknown route", "GET", "/nope", "", nil, 400, `{"error":true,"message":"La route demandée n'est pas référencée"}`},
		{"wrong method", "PUT", "/interfaces", "", nil, 400, `{"error":true,"message":"La route demandée n'est pas référencée"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(tt.method, tt.path, tt.body, tt.hdr)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("%d %s", status, body)
			}
		})
	}
}

func TestFakeFaults(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.client.Prestations(ctx); err != nil {
		t.Fatal(err)
	}
	e.fake.FailNext(1)
	_, err := e.client.DeleteInterface(ctx, e.fake.Keys(fake.StatusActive)[0])
	ue := wantKind(t, err, upstream.KindUnavailable)
	if ue.Status != 500 || ue.Message != "Une erreur inconnue est survenue" {
		t.Fatalf("got %+v", ue)
	}
	e.fake.FailNext(1) // a GET is retried past one 500
	if _, err := e.client.Prestations(ctx); err != nil {
		t.Fatal(err)
	}
	e.fake.Knobs.SetDown(true)
	_, err = e.client.Prestations(ctx)
	ue = wantKind(t, err, upstream.KindUnavailable)
	if ue.Status != 503 || !strings.Contains(ue.Message, "HTML") {
		t.Fatalf("got %+v", ue)
	}
}

// TestErrorMapping runs the client against canned answers the fake never gives.
func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		kind   upstream.Kind
		msg    string
	}{
		{"400", 400, "application/json", `{"error":true,"message":"Malformée"}`, upstream.KindRejected, "Malformée"},
		{"400 not found", 400, "application/json", `{"error":true,"message":"Interface introuvable"}`, upstream.KindNotFound, "Interface introuvable"},
		{"404", 404, "application/json", `{"error":true,"message":"Not Found"}`, upstream.KindNotFound, "Not Found"},
		{"500", 500, "application/json", `{"error":true,"message":"Une erreur inconnue est survenue"}`, upstream.KindUnavailable, "Une erreur inconnue est survenue"},
		{"error envelope with 200", 200, "application/json", `{"error":true,"message":"Refusé"}`, upstream.KindRejected, "Refusé"},
		{"HTML page with 200", 200, "text/html", `<html><body>Maintenance</body></html>`, upstream.KindInvalidResponse, ""},
		{"HTML error page", 502, "text/html", `<html><body><h1>Bad Gateway</h1></body></html>`, upstream.KindUnavailable, "Bad Gateway (HTML error page)"},
		{"truncated JSON", 200, "application/json", `{"date_creation":"2017-11-10 10:04:10","statut":1,"url":"http:\/\/nomd`, upstream.KindInvalidResponse, ""},
		{"unknown status", 200, "application/json", `{"date_creation":"2017-11-10 10:04:10","statut":9}`, upstream.KindInvalidResponse, ""},
		{"bad date", 200, "application/json", `{"date_creation":"10/11/2017","statut":1}`, upstream.KindInvalidResponse, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/token" {
					_, _ = io.WriteString(w, `{"access_token":"t","token_type":"bearer","expires_in":3600}`)
					return
				}
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			c, _ := shop.New(shop.Config{BaseURL: srv.URL, ClientID: "a", ClientSecret: "b"})
			_, err := c.Interface(context.Background(), "k")
			ue := wantKind(t, err, tt.kind)
			if tt.msg != "" && ue.Message != tt.msg {
				t.Fatalf("message %q", ue.Message)
			}
		})
	}
}

func TestSeedExampleDecodes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/token":
			_, _ = io.WriteString(w, `{"access_token":"t","token_type":"bearer","expires_in":3600}`)
		case "/interfaces/k":
			_, _ = io.WriteString(w, `{"date_creation": "2017-11-10 10:04:10", "statut": 1, "url": "http:\/\/nomdusite.com", "url_administration": "http:\/\/nomdusite.com\/superadmin\/"}`)
		case "/interfaces/k/prestations/IN-CAISSE-S":
			_, _ = io.WriteString(w, `[{"code": "IN-CAISSE-S", "date_creation": "2018-12-19 11:44:22", "resilie": false, "date_resiliation": "", "reference_unique": "5c34c58c2121e"}]`)
		}
	}))
	defer srv.Close()
	c, _ := shop.New(shop.Config{BaseURL: srv.URL, ClientID: "a", ClientSecret: "b"})
	itf, err := c.Interface(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2017, 11, 10, 10, 4, 10, 0, shop.Paris)
	if !itf.CreatedAt.Equal(want) || itf.URL != "http://nomdusite.com" || itf.AdminURL != "http://nomdusite.com/superadmin/" || itf.Status != shop.StatusActive {
		t.Fatalf("%+v", itf)
	}
	lines, err := c.InterfacePrestation(context.Background(), "k", "IN-CAISSE-S")
	if err != nil || len(lines) != 1 || lines[0].Cancelled || !lines[0].CancelledAt.IsZero() || lines[0].Reference != "5c34c58c2121e" {
		t.Fatal(lines, err)
	}
}
