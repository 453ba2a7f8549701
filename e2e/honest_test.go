package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/schema"
)

// rootQueries selects every root Query field with its nested lists; $plate,
// $key and $code are the sandbox's own data.
var rootQueries = map[string]string{
	"sources":           `{ sources { name configured } }`,
	"vehicle":           `query ($plate: String!) { vehicle(plate: $plate) { plate vin customers { id lastName vehicles { plate } calls { id } } importedCustomers { id } invoices { id } importedInvoices { id } operations { __typename } forecasts { __typename } reminders { __typename } calls { id } } }`,
	"campaignCustomers": `{ campaignCustomers(pointOfSale: "PDV001") { page total hasNextPage } }`,
	"blacklist":         `{ blacklist { __typename } }`,
	"interfaces":        `{ interfaces { key status prestations { __typename } } }`,
	"interface":         `query ($key: ID!) { interface(key: $key) { key status prestations { __typename } } }`,
	"prestations":       `{ prestations { code associated { code } } }`,
	"prestation":        `query ($code: String!) { prestation(code: $code) { code associated { code } } }`,
	"folders":           `{ folders(perPage: 3) { totalCount results { id values { id } } } }`,
	"folderColumns":     `{ folderColumns { id } }`,
	"teams":             `{ teams { id users { id } } }`,
	"folderValues":      `{ folderValues(ids: ["1", "2"]) { id values { id } } }`,
	"calls":             `{ calls(first: 5) { totalCount nodes { id customer { name } } } }`,
	"pbxAccounts":       `{ pbxAccounts { name } }`,
	"contact":           `{ contact(phone: "06 12 34 56 78") { name } }`,
}

// TestNoInventedValues walks every root Query field with its sources down
// and with its scopes missing: a field that failed is null beside its error
// (never [], 0 or "" standing in for what the source did not say), and the
// null stays on that field instead of blanking its parent or the response.
func TestNoInventedValues(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every root field against the sandbox")
	}
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema", Input: schema.SDL()})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Query.Fields {
		if !strings.HasPrefix(f.Name, "__") && rootQueries[f.Name] == "" {
			t.Errorf("Query.%s is not walked: add it to rootQueries", f.Name)
		}
	}

	readScopes := []string{"vehicles:read", "customers:read", "invoices:read", "calls:read", "clavus:read", "shop:read", "blacklist:read", "campaigns:read"}
	keys := "full full-secret-0123456789 *\nnone none-secret-0123456789 nothing:read\n"
	for _, sc := range readScopes {
		var rest []string
		for _, o := range readScopes {
			if o != sc {
				rest = append(rest, o)
			}
		}
		keys += fmt.Sprintf("no-%s no-%s-secret-0123456789 %s\n", strings.ReplaceAll(sc, ":", "-"), strings.ReplaceAll(sc, ":", "-"), strings.Join(rest, ","))
	}
	keysFile := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keysFile, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	g := startGateway(t, map[string]string{
		"SWITCHBOARD_API_KEYS_FILE": keysFile, "SWITCHBOARD_RATE_LIMIT": "0",
		"SWITCHBOARD_UPSTREAM_TIMEOUT": "1s", "SWITCHBOARD_BREAKER_COOLDOWN": "1s",
	})
	const full = "full-secret-0123456789"
	f := g.gw.Fakes

	// The sandbox's own data, read from the fakes: a query would fill the
	// cache, and a cached answer hides a source being down.
	vars := map[string]any{"plate": "AB-123-CD"}
	for st := 0; st < 4 && vars["key"] == nil; st++ {
		for _, k := range f.Shop.Keys(st) {
			if codes := f.Shop.ActiveCodes(k); len(codes) > 0 {
				vars["key"], vars["code"] = k, codes[0]
				break
			}
		}
	}
	if vars["key"] == nil {
		t.Fatal("the Shop fake has no interface with prestations")
	}

	t.Run("scope missing", func(t *testing.T) {
		for name, q := range rootQueries {
			r := g.queryAs("none-secret-0123456789", q, vars)
			assertHonest(t, name, r)
			if name != "sources" && !slices.Contains(r.codes(), "FORBIDDEN") {
				t.Errorf("%s without its scope: codes %v", name, r.codes())
			}
		}
		// Nested fields of the vehicle, one scope missing at a time: the
		// field is null with FORBIDDEN, the vehicle stays. (Customer.vehicles
		// is out of reach: vehicle itself needs vehicles:read.)
		for _, tc := range []struct{ scope, path string }{
			{"customers:read", "vehicle.customers"},
			{"customers:read", "vehicle.importedCustomers"},
			{"invoices:read", "vehicle.invoices"},
			{"invoices:read", "vehicle.importedInvoices"},
			{"calls:read", "vehicle.calls"},
			{"calls:read", "vehicle.customers.0.calls"},
		} {
			key := "no-" + strings.ReplaceAll(tc.scope, ":", "-") + "-secret-0123456789"
			r := g.queryAs(key, rootQueries["vehicle"], vars)
			assertHonest(t, tc.path, r)
			if r.at("vehicle.plate") == nil || !hasErrorAt(r, tc.path) {
				t.Errorf("%s without %s: data %v, errors %v", tc.path, tc.scope, r.Data, r.Errors)
			}
		}
	})
	t.Run("sources down", func(t *testing.T) {
		// A plate not read yet: a cached vehicle would answer without MMP.
		vars := map[string]any{"plate": f.MMP.Plates()[7], "key": vars["key"], "code": vars["code"]}
		for _, k := range []interface{ SetDown(bool) }{f.MMP.Knobs, f.Shop.Knobs, f.MseM.Knobs, f.Clavus.Knobs, f.PBX.Knobs} {
			k.SetDown(true)
			defer k.SetDown(false)
		}
		for name, q := range rootQueries {
			r := g.queryAs(full, q, vars)
			assertHonest(t, name, r)
			if name != "sources" && name != "calls" && len(r.Errors) == 0 {
				t.Errorf("%s: its source is down and no error says so: %v", name, r.Data)
			}
		}
		// MMP down does not hide the vehicle (the plate is ours): each of
		// its lists is null with an error of its own.
		r := g.queryAs(full, rootQueries["vehicle"], vars)
		for _, l := range []string{"customers", "importedCustomers", "invoices", "importedInvoices", "operations", "forecasts", "reminders", "calls"} {
			if !hasErrorAt(r, "vehicle."+l) {
				t.Errorf("vehicle.%s: no error at its path with MMP down: %v", l, r.Errors)
			}
		}
	})

	t.Run("one endpoint down", func(t *testing.T) {
		waitFor(t, func() bool {
			return len(g.queryAs(full, `query ($key: ID!) { interface(key: $key) { key } }`, vars).Errors) == 0
		})
		f.Shop.Knobs.SetDownPaths("/prestations")
		defer f.Shop.Knobs.SetDownPaths()
		r := g.queryAs(full, rootQueries["interface"], vars)
		assertHonest(t, "interface", r)
		if r.at("interface.key") == nil || !hasErrorAt(r, "interface.prestations") {
			t.Errorf("interface.prestations down: data %v, errors %v", r.Data, r.Errors)
		}
	})

	// Back up (once the breakers close), every root field answers data.
	for name, q := range rootQueries {
		if name == "campaignCustomers" || name == "contact" || name == "folderValues" {
			continue // an unknown point of sale, phone or folder is null or an error by design
		}
		var r gqlResponse
		waitFor(t, func() bool { r = g.queryAs(full, q, vars); return len(r.Errors) == 0 })
		if r.Data[name] == nil {
			t.Errorf("%s with every source up: data %v", name, r.Data[name])
		}
	}
}

// waitFor polls ok for up to 20 s.
func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); !ok(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("condition not met in 20 s")
		}
	}
}

// assertHonest fails on a value beside an error at the same path, on an
// error that nulled more than its own field, and on a null response.
func assertHonest(t *testing.T, name string, r gqlResponse) {
	t.Helper()
	if r.Data == nil {
		t.Errorf("%s: data is null (errors %v)", name, r.Errors)
		return
	}
	for _, e := range r.Errors {
		if e.Extensions["code"] == nil {
			t.Errorf("%s: error without a code: %q", name, e.Message)
		}
		if len(e.Path) == 0 {
			t.Errorf("%s: request error %q", name, e.Message)
			continue
		}
		if v := valueAt(r.Data, e.Path); v != nil {
			t.Errorf("%s: %v beside the error %q at %v", name, v, e.Message, e.Path)
		}
		if len(e.Path) > 1 && valueAt(r.Data, e.Path[:len(e.Path)-1]) == nil && !errorAt(r, e.Path[:len(e.Path)-1]) {
			t.Errorf("%s: the error %q at %v nulled its parent", name, e.Message, e.Path)
		}
	}
}

func valueAt(data map[string]any, path []any) any {
	var cur any = data
	for _, p := range path {
		switch v := cur.(type) {
		case map[string]any:
			k, _ := p.(string)
			cur = v[k]
		case []any:
			i, ok := p.(float64)
			if !ok || int(i) >= len(v) {
				return nil
			}
			cur = v[int(i)]
		default:
			return nil
		}
	}
	return cur
}

func pathString(path []any) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".")
}

func errorAt(r gqlResponse, path []any) bool {
	return hasErrorAt(r, pathString(path))
}

func hasErrorAt(r gqlResponse, path string) bool {
	for _, e := range r.Errors {
		if pathString(e.Path) == path {
			return true
		}
	}
	return false
}
