package e2e

import (
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	msemfake "switchboard/sources/msem/fake"
	shopfake "switchboard/sources/shop/fake"
)

// shopUpstream runs a Shop fake and returns the gateway environment for it.
func shopUpstream(t *testing.T, interfaces int) (*shopfake.Server, map[string]string) {
	return shopUpstreamWith(t, shopfake.Options{Interfaces: interfaces})
}

func shopUpstreamWith(t *testing.T, opts shopfake.Options) (*shopfake.Server, map[string]string) {
	t.Helper()
	opts.ClientID, opts.ClientSecret, opts.Seed = "shop-id", "shop-secret", 3
	f := shopfake.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, map[string]string{"SHOP_BASE_URL": srv.URL, "SHOP_CLIENT_ID": "shop-id", "SHOP_CLIENT_SECRET": "shop-secret"}
}

// shopReadings are the two readings of the Shop document the fake serves.
var shopReadings = []struct {
	name      string
	alternate bool
}{{"document", false}, {"alternate", true}}

func TestShopReads(t *testing.T) {
	for _, r := range shopReadings {
		t.Run(r.name, func(t *testing.T) { testShopReads(t, r.alternate) })
	}
}

func testShopReads(t *testing.T, alternate bool) {
	f, env := shopUpstreamWith(t, shopfake.Options{Interfaces: 20, Alternate: alternate})
	g := startGateway(t, env)
	r := g.query(`{ interfaces { key status prestations { code cancelled prestation { name } } } }`, nil)
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	list, _ := r.at("interfaces").([]any)
	if len(list) != 20 {
		t.Fatalf("interfaces = %d, want 20", len(list))
	}
	// One list call and one detail per interface: no call twice in a query.
	if f.Knobs.Calls("interfaces") != 1 || f.Knobs.Calls("interface") != 20 || f.Knobs.Calls("interface_prestations") != 20 {
		t.Fatalf("calls: interfaces=%d interface=%d interface_prestations=%d", f.Knobs.Calls("interfaces"), f.Knobs.Calls("interface"), f.Knobs.Calls("interface_prestations"))
	}
	// The same query again is served from the cache.
	before := f.Knobs.TotalCalls()
	if r := g.query(`{ interfaces { key status prestations { code } } }`, nil); len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	if n := f.Knobs.TotalCalls() - before; n != 0 {
		t.Errorf("warm query made %d upstream calls, want 0", n)
	}

	active := f.Keys(shopfake.StatusActive)[0]
	cases := []struct {
		name, query, want string
	}{
		{"interface by key", `{ interface(key: "` + active + `") { key status } }`, ""},
		{"unknown interface", `{ interface(key: "no-such-key") { key } }`, "NOT_FOUND@shop"},
		{"catalogue entry with associations", `{ prestation(code: "IN-ECO-S") { code setup associated { code } } }`, ""},
		{"unknown prestation", `{ prestation(code: "NOPE") { code } }`, "NOT_FOUND@shop"},
	}
	for _, c := range cases {
		r := g.query(c.query, nil)
		if got := strings.Join(r.codes(), ","); got != c.want {
			t.Errorf("%s: codes %q, want %q (%v)", c.name, got, c.want, r.Errors)
		}
	}
	if r := g.query(`{ prestation(code: "IN-ECO-S") { code price setup associated { code } } }`, nil); r.at("prestation.setup") != true || r.at("prestation.associated.0.code") == nil || r.at("prestation.price") != 490.0 || r.at("prestation.code") != "IN-ECO-S" {
		t.Errorf("IN-ECO-S: %v", r.Data)
	}
}

// TestShopInterfacesPlannedBySelection: the W1 query, cold, calls
// Shop only for what it selects: no interface detail (the key comes with
// the list), one code list per interface, one detail per distinct code of
// each interface (it returns every copy of the code), no catalogue.
//
// Issue 18 counts 31 for the peers, which read the codes off the code
// lists alone. With this fake's document reading the list names a code once
// however many copies there are, so the lists alone cannot give one entry
// per copy: the honest minimum is token + list + 30 code lists + one detail
// per distinct (interface, code), which the test computes from the fake's
// data and asserts exactly, under both readings.
func TestShopInterfacesPlannedBySelection(t *testing.T) {
	for _, rd := range shopReadings {
		t.Run(rd.name, func(t *testing.T) {
			f, env := shopUpstreamWith(t, shopfake.Options{Interfaces: 30, Alternate: rd.alternate})
			g := startGateway(t, env)
			r := g.query(`{ interfaces { key prestations { code } } }`, nil)
			if len(r.Errors) != 0 {
				t.Fatal(r.Errors)
			}
			list, _ := r.at("interfaces").([]any)
			if len(list) != 30 {
				t.Fatalf("interfaces = %d, want 30", len(list))
			}
			distinct := 0
			for i, it := range list {
				key := it.(map[string]any)["key"].(string)
				lines := f.Lines(key)
				seen := map[string]bool{}
				for _, l := range lines {
					if !seen[l.Code] {
						seen[l.Code] = true
						distinct++
					}
				}
				got, _ := r.at("interfaces." + strconv.Itoa(i) + ".prestations").([]any)
				if len(got) != len(lines) {
					t.Errorf("%s: %d prestations, the upstream has %d copies", key, len(got), len(lines))
				}
			}
			tokens := 1
			if rd.alternate {
				tokens = 2 // the query credentials are refused once, then the JSON body is kept
			}
			want := map[string]int{"token": tokens, "interfaces": 1, "interface": 0, "interface_prestations": 30, "interface_prestation": distinct, "prestations": 0, "prestation": 0}
			for route, n := range want {
				if got := f.Knobs.Calls(route); got != n {
					t.Errorf("%s calls = %d, want %d", route, got, n)
				}
			}
			if total := f.Knobs.TotalCalls(); total != tokens+1+30+distinct {
				t.Errorf("%d upstream calls, want %d", total, tokens+1+30+distinct)
			}
			t.Logf("cold W1 on 30 interfaces: %d upstream calls (%d code details for %d distinct codes)", f.Knobs.TotalCalls(), f.Knobs.Calls("interface_prestation"), distinct)
		})
	}
}

// TestShopDuplicatedCodes: a code ordered n times is answered as its n
// copies, exactly the upstream's, with one detail call per distinct code.
func TestShopDuplicatedCodes(t *testing.T) {
	for _, r := range shopReadings {
		t.Run(r.name, func(t *testing.T) {
			f, env := shopUpstreamWith(t, shopfake.Options{Interfaces: 5, Alternate: r.alternate})
			g := startGateway(t, env)
			key := f.Keys(shopfake.StatusActive)[0]
			add := g.query(`mutation ($k: ID!) { addPrestations(key: $k, codes: ["OP-PAGE", "OP-PAGE", "OP-PAGE", "OP-LOGO"]) { code } }`, map[string]any{"k": key})
			if len(add.Errors) != 0 {
				t.Fatal(add.Errors)
			}
			before := f.Knobs.Calls("interface_prestation")
			res := g.query(`query ($k: ID!) { interface(key: $k) { prestations { code reference } } }`, map[string]any{"k": key})
			if len(res.Errors) != 0 {
				t.Fatal(res.Errors)
			}
			var got, want []string
			codes := map[string]bool{}
			for _, p := range res.at("interface.prestations").([]any) {
				m := p.(map[string]any)
				got = append(got, m["code"].(string)+" "+m["reference"].(string))
			}
			for _, l := range f.Lines(key) {
				want = append(want, l.Code+" "+l.Reference)
				codes[l.Code] = true
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("prestations\n%v\nwant the upstream's copies\n%v", got, want)
			}
			if n := f.Knobs.Calls("interface_prestation") - before; n != len(codes) {
				t.Fatalf("%d detail calls for %d distinct codes", n, len(codes))
			}
		})
	}
}

// TestShopAdditionLeansOnActivePrestation: MO-ECOM-S alone needs an
// associated prestation; one already active on the interface (a site
// subscription such as IN-BTQZ-AMA) satisfies the rule, as Shop does.
func TestShopAdditionLeansOnActivePrestation(t *testing.T) {
	f, env := shopUpstream(t, 60)
	g := startGateway(t, env)
	// MO-ECOM-S's associated prestations, as the fake's catalogue lists them.
	assoc := []string{"MO-ECOM-AMM", "IN-VITR-AMM", "IN-VITR-AMA", "IN-BTQZ-AMM", "IN-BTQZ-AMA"}
	var with, without string
	for _, k := range f.Keys(shopfake.StatusActive) {
		active := f.ActiveCodes(k)
		switch {
		case slices.Contains(active, "IN-BTQZ-AMA") && with == "":
			with = k
		case !slices.ContainsFunc(active, func(c string) bool { return slices.Contains(assoc, c) }) && without == "":
			without = k
		}
	}
	if with == "" || without == "" {
		t.Fatalf("seed lacks an interface with IN-BTQZ-AMA (%q) or one without any of %v (%q)", with, assoc, without)
	}
	add := `mutation ($k: ID!) { addPrestations(key: $k, codes: ["MO-ECOM-S"]) { code reference formUrl } }`
	r := g.query(add, map[string]any{"k": with})
	if len(r.Errors) != 0 || r.at("addPrestations.0.code") != "MO-ECOM-S" || r.at("addPrestations.0.formUrl") == nil {
		t.Fatalf("with IN-BTQZ-AMA active: %v %v", r.Data, r.Errors)
	}
	r = g.query(add, map[string]any{"k": without})
	if got := r.codes(); len(got) != 1 || got[0] != "BAD_USER_INPUT" || r.Errors[0].Extensions["rule"] != "associated_prestation" {
		t.Fatalf("without: %v", r.Errors)
	}
	if n := f.Knobs.Calls("add_prestations"); n != 1 {
		t.Fatalf("add_prestations calls = %d, want 1 (the refused order never reached Shop)", n)
	}
	// The new copy shows at once: the addition dropped the cached list.
	r = g.query(`query ($k: ID!) { interface(key: $k) { prestations { code } } }`, map[string]any{"k": with})
	found := false
	for _, p := range r.at("interface.prestations").([]any) {
		found = found || p.(map[string]any)["code"] == "MO-ECOM-S"
	}
	if !found {
		t.Fatalf("MO-ECOM-S missing after the addition: %v", r.Data)
	}
}

func TestShopBusinessRulesCheckedBeforeUpstream(t *testing.T) {
	f, env := shopUpstream(t, 5)
	g := startGateway(t, env)
	create := `mutation ($codes: [String!]!) { createInterface(input: {guid: "g-1", prestations: $codes, client: {company: "Garage Martin", email: "contact@garage-martin.fr"}}) { key interface { status } } }`
	cases := []struct {
		name  string
		codes []any
		rule  string
	}{
		{"no setup", []any{"IN-ECO-AMM"}, "one_setup"},
		{"two setups", []any{"IN-ECO-S", "IN-PRO-S", "IN-ECO-AMM"}, "one_setup"},
		{"unknown code", []any{"IN-ECO-S", "XX-NOPE"}, "unknown_code"},
		{"missing association", []any{"IN-ECO-S"}, "associated_prestation"},
	}
	for _, c := range cases {
		r := g.query(create, map[string]any{"codes": c.codes})
		if got := r.codes(); len(got) != 1 || got[0] != "BAD_USER_INPUT" || r.Errors[0].Extensions["rule"] != c.rule {
			t.Errorf("%s: %v, want BAD_USER_INPUT rule %s", c.name, r.Errors, c.rule)
		}
	}
	if n := f.Knobs.Calls("create_interface"); n != 0 {
		t.Fatalf("refused orders reached Shop %d times", n)
	}
	r := g.query(create, map[string]any{"codes": []any{"IN-ECO-S", "IN-ECO-AMM"}})
	if len(r.Errors) != 0 || r.at("createInterface.key") == nil || r.at("createInterface.interface.status") != "PENDING" {
		t.Fatalf("valid order: %v %v", r.Data, r.Errors)
	}
	key := r.at("createInterface.key").(string)
	r = g.query(`mutation ($k: ID!) { addPrestations(key: $k, codes: ["IN-PRO-S"]) { code } }`, map[string]any{"k": key})
	if got := r.codes(); len(got) != 1 || r.Errors[0].Extensions["rule"] != "no_setup_on_add" {
		t.Errorf("setup on addition: %v", r.Errors)
	}
}

func TestShopMutationsInvalidateCache(t *testing.T) {
	f, env := shopUpstream(t, 5)
	g := startGateway(t, env)
	key := f.Keys(shopfake.StatusActive)[0]
	read := `query ($k: ID!) { interface(key: $k) { status deletionDate } }`
	if r := g.query(read, map[string]any{"k": key}); r.at("interface.status") != "ACTIVE" {
		t.Fatalf("before: %v %v", r.Data, r.Errors)
	}
	r := g.query(`mutation ($k: ID!) { deleteInterface(key: $k) { status deletionDate } }`, map[string]any{"k": key})
	if r.at("deleteInterface.status") != "DISABLED" || r.at("deleteInterface.deletionDate") == nil {
		t.Fatalf("delete: %v %v", r.Data, r.Errors)
	}
	if r := g.query(read, map[string]any{"k": key}); r.at("interface.status") != "DISABLED" {
		t.Fatalf("cached read after delete: %v (stale cache)", r.Data)
	}
	r = g.query(`mutation ($k: ID!) { reactivateInterface(key: $k) { status reactivationDate } }`, map[string]any{"k": key})
	if r.at("reactivateInterface.status") != "ACTIVE" || r.at("reactivateInterface.reactivationDate") == nil {
		t.Fatalf("reactivate: %v %v", r.Data, r.Errors)
	}
	// Shop gives the date only in its answer to the reactivation.
	if r := g.query(`query ($k: ID!) { interface(key: $k) { status reactivationDate } }`, map[string]any{"k": key}); r.at("interface.status") != "ACTIVE" || r.at("interface.reactivationDate") != nil {
		t.Fatalf("read after reactivation: %v %v", r.Data, r.Errors)
	}
	// Reactivating an active interface is refused by Shop.
	r = g.query(`mutation ($k: ID!) { reactivateInterface(key: $k) { status } }`, map[string]any{"k": key})
	if got := r.codes(); len(got) != 1 || got[0] != "UPSTREAM_REJECTED@shop" {
		t.Fatalf("reactivate twice: %v", r.Errors)
	}
}

func TestShopTokenExpiryAndUpstreamFaults(t *testing.T) {
	f, env := shopUpstream(t, 3)
	g := startGateway(t, env)
	if r := g.query(`{ prestations { code } }`, nil); len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	f.ExpireTokens()
	key := f.Keys(shopfake.StatusActive)[0]
	if r := g.query(`query ($k: ID!) { interface(key: $k) { key } }`, map[string]any{"k": key}); len(r.Errors) != 0 {
		t.Fatalf("after token expiry: %v", r.Errors)
	}
	if n := f.Knobs.Calls("token"); n != 2 {
		t.Errorf("token calls = %d, want 2 (one refresh)", n)
	}
	f.FailNext(10)
	r := g.query(`query ($k: ID!) { interface(key: $k) { key } sources { name } }`, map[string]any{"k": f.Keys(shopfake.StatusActive)[1]})
	if got := r.codes(); len(got) != 1 || got[0] != "UPSTREAM_UNAVAILABLE@shop" || r.at("sources.0.name") != "MMP" {
		t.Fatalf("500 from Shop: codes %v, data %v", got, r.Data)
	}
}

// msemUpstream runs a MseM fake (accepting only channel LBM) and returns
// the gateway environment for it.
func msemUpstream(t *testing.T, opts msemfake.Options) (*msemfake.Server, map[string]string) {
	t.Helper()
	opts.ClientID, opts.ClientSecret, opts.Channels = "crm", "s3", []string{"LBM"}
	f := msemfake.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, map[string]string{"MSEM_AUTH_URL": srv.URL, "MSEM_SERVICES_URL": srv.URL, "MSEM_CLIENT_ID": "crm", "MSEM_CLIENT_SECRET": "s3", "MSEM_CHANNEL": "LBM"}
}

func TestMsemNotify(t *testing.T) {
	for _, reading := range []struct {
		name string
		opts msemfake.Options
	}{{"document", msemfake.Options{}}, {"alternate", msemfake.Options{Alternate: true}}} {
		t.Run(reading.name, func(t *testing.T) {
			f, env := msemUpstream(t, reading.opts)
			testMsemNotify(t, f, startGateway(t, env))
		})
	}
}

func testMsemNotify(t *testing.T, f *msemfake.Server, g *testGateway) {
	cases := []struct {
		name, query string
		want        string
		sent        int
		// field is the extensions.field of the error, when one is expected.
		field string
	}{
		{"create customer", `mutation { pushCustomerToMsem(customer: {id: "1581190", lastName: "Marcone", firstName: "Cédric", email: "cedric.marcone@valraiso.fr"}) { channel idempotencyKey operations { type customer { id source lastName } } } }`, "", 1, ""},
		{"orders", `mutation { notifyMsem(operations: [{type: CreateOrder, order: {id: "A-1", customerId: "1581190", attributes: {total: 129.9}}}, {type: UpdateOrder, order: {id: "A-1"}}]) { operations { type order { id customerId attributes } } } }`, "", 1, ""},
		{"bad e-mail", `mutation { pushCustomerToMsem(customer: {id: "1", lastName: "A", firstName: "B", email: "not-an-email"}) { channel } }`, "BAD_USER_INPUT", 0, ""},
		{"customer id not a number", `mutation { pushCustomerToMsem(customer: {id: "abc", lastName: "A", firstName: "B", email: "a@b.fr"}) { channel } }`, "BAD_USER_INPUT", 0, ""},
		{"customer op without customer", `mutation { notifyMsem(operations: [{type: CreateCustomer}]) { channel } }`, "BAD_USER_INPUT", 0, ""},
		{"attributes not an object", `mutation { notifyMsem(operations: [{type: CreateOrder, order: {id: "A-2", customerId: "7", attributes: 5}}]) { channel } }`, "BAD_USER_INPUT", 0, ""},
		{"attributes a list", `mutation { notifyMsem(operations: [{type: UpdateOrder, order: {id: "A-2", attributes: ["x"]}}]) { channel } }`, "BAD_USER_INPUT", 0, ""},
		{"attribute named id", `mutation { notifyMsem(operations: [{type: UpdateOrder, order: {id: "A-2", attributes: {id: "B-9", total: 1}}}]) { channel } }`, "BAD_USER_INPUT", 0, "operations[0].value.attributes.id"},
		{"attribute named customerId", `mutation { notifyMsem(operations: [{type: CreateOrder, order: {id: "A-2", customerId: "7", attributes: {customerId: 8}}}]) { channel } }`, "BAD_USER_INPUT", 0, "operations[0].value.attributes.customerId"},
	}
	for _, c := range cases {
		before := len(f.Received())
		r := g.query(c.query, nil)
		if got := strings.Join(r.codes(), ","); got != c.want {
			t.Errorf("%s: codes %q want %q (%v)", c.name, got, c.want, r.Errors)
		}
		if c.field != "" && (len(r.Errors) == 0 || r.Errors[0].Extensions["field"] != c.field) {
			t.Errorf("%s: errors %v, want field %s", c.name, r.Errors, c.field)
		}
		if n := len(f.Received()) - before; n != c.sent {
			t.Errorf("%s: MseM received %d notifications, want %d", c.name, n, c.sent)
		}
	}
	got := f.Received()
	if len(got) == 0 || got[0].Channel != "LBM" || got[0].IdempotencyKey == "" {
		t.Fatalf("received: %+v", got)
	}
}

// TestMsemConfigurationRefused: a scope or a channel MseM refuses is the
// gateway's configuration, which the caller cannot fix: UPSTREAM_UNAVAILABLE,
// as for refused credentials, and nothing is applied.
func TestMsemConfigurationRefused(t *testing.T) {
	for _, c := range []struct{ name, key, value string }{
		{"refused scope", "MSEM_SCOPE", "admin"},
		{"unknown channel", "MSEM_CHANNEL", "XYZ"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, env := msemUpstream(t, msemfake.Options{})
			env[c.key] = c.value
			g := startGateway(t, env)
			r := g.query(`mutation { pushCustomerToMsem(customer: {id: "1581190", lastName: "Marcone", firstName: "Cédric", email: "cedric.marcone@valraiso.fr"}) { channel } }`, nil)
			if got := strings.Join(r.codes(), ","); got != "UPSTREAM_UNAVAILABLE@msem" {
				t.Fatalf("codes %q (%v)", got, r.Errors)
			}
			if n := len(f.Received()); n != 0 {
				t.Fatalf("applied %d", n)
			}
		})
	}
}
