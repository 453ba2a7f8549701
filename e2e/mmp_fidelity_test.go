package e2e

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/schema"
	mmpfake "switchboard/sources/mmp/fake"
)

// fullVehicleSelection is every field of Vehicle and below, built from the
// schema so a new field is covered without editing the test. Fields that
// lead to other sources or back to a vehicle (calls, vehicles, Call) are
// left out.
func fullVehicleSelection(t *testing.T) string {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema", Input: schema.SDL()})
	if err != nil {
		t.Fatal(err)
	}
	skip := map[string]bool{"calls": true, "vehicles": true}
	var sel func(typ string) string
	sel = func(typ string) string {
		var parts []string
		for _, f := range s.Types[typ].Fields {
			if skip[f.Name] || strings.HasPrefix(f.Name, "__") {
				continue
			}
			named := s.Types[f.Type.Name()]
			if named.Kind == ast.Object {
				parts = append(parts, f.Name+" { "+sel(named.Name)+" }")
			} else {
				parts = append(parts, f.Name)
			}
		}
		return strings.Join(parts, " ")
	}
	return sel("Vehicle")
}

// nullsAllowed are the fields the fake's full vehicle leaves null because
// MMP's record for them has no such field (not a value lost on the way):
// raw invoice lines carry no qualified job or member, qualified invoices
// no import header, import-client records no consents or member, client
// records no imported vehicle, and forecastInformations is null in every
// example of the seed.
var nullsAllowed = regexp.MustCompile(`^vehicle\.(` + strings.Join([]string{
	`importedInvoices\.\d+\.(pointOfSale|lines\.\d+\.(jobId|jobLabel|usedSource))`,
	`invoices\.\d+\.(workshopNationalId|customerDmsId|vin)`,
	`importedCustomers\.\d+\.(consents|pointOfSale)`,
	`customers\.\d+\.importedVehicle`,
	`forecasts\.\d+\.details`,
	// vision360's vehicleInformations shows no anti-pollution dates: only
	// import-client's records carry them.
	`(last|next)AntipollutionControlDate`,
}, "|") + `)$`)

// nulls lists the paths of every null under v.
func nulls(prefix string, v any, out *[]string) {
	switch x := v.(type) {
	case nil:
		*out = append(*out, prefix)
	case map[string]any:
		for k, c := range x {
			nulls(prefix+"."+k, c, out)
		}
	case []any:
		for i, c := range x {
			nulls(fmt.Sprintf("%s.%d", prefix, i), c, out)
		}
	}
}

// Under both readings of the seed, a vehicle for which the fake sends a
// value in every field comes back with no null (but where its record has no
// such field), under the default query limits; zero stays zero.
func TestFullVehicleUnderBothReadings(t *testing.T) {
	q := `query ($p: String!) { vehicle(plate: $p) { ` + fullVehicleSelection(t) + ` } }`
	for name, reading := range mmpReadings {
		t.Run(name, func(t *testing.T) {
			_, env := mmpUpstreamReading(t, reading, nil)
			g := startGateway(t, env)
			r := g.query(q, map[string]any{"p": mmpfake.FullPlate})
			if len(r.Errors) != 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			var found []string
			nulls("vehicle", r.at("vehicle"), &found)
			slices.Sort(found)
			for _, p := range found {
				if !nullsAllowed.MatchString(p) {
					t.Errorf("null at %s, for which the fake sent a value", p)
				}
			}
			for _, p := range []string{"vehicle.currentMileageEstimate", "vehicle.lastVisitMileage", "vehicle.monthlyMileageEstimate",
				"vehicle.operations.0.mileage", "vehicle.invoices.0.mileage", "vehicle.importedInvoices.0.mileage",
				"vehicle.importedCustomers.0.importedVehicle.lastVisitMileage"} {
				if v := r.at(p); v != float64(0) {
					t.Errorf("%s = %v, want 0 (the fake sent 0)", p, v)
				}
			}
			if r.at("vehicle.customers.0.consents.mail") != true || r.at("vehicle.customers.0.consents.email") != false ||
				r.at("vehicle.customers.0.pointOfSale.code") != "6768ZED" || r.at("vehicle.importedInvoices.0.dmsId") != "52210" ||
				r.at("vehicle.importedCustomers.0.importedVehicle.brand") != "RENAULT" || r.at("vehicle.diagnostic.battery") != "ok" {
				t.Errorf("mapped values: %v", r.Data)
			}
		})
	}
}

// The seed's own example under both readings: names and phones of the
// imported customers, operation mileages, currentMileageEstimate 0.
func TestSeedVehicleUnderBothReadings(t *testing.T) {
	for name, reading := range mmpReadings {
		t.Run(name, func(t *testing.T) {
			f, env := mmpUpstreamReading(t, reading, nil)
			g := startGateway(t, env)
			for _, plate := range append([]string{"ABC123", "AB123CD"}, f.Plates()[4:10]...) {
				r := g.query(`query ($p: String!) { vehicle(plate: $p) { currentMileageEstimate
					importedCustomers { civility firstName lastName mobile city }
					customers { id firstName lastName mobile consents { sms } pointOfSale { code } }
					operations { mileage date } } }`, map[string]any{"p": plate})
				if len(r.Errors) != 0 {
					t.Fatalf("%s: %+v", plate, r.Errors)
				}
				if plate == "ABC123" && r.at("vehicle.currentMileageEstimate") != float64(0) {
					t.Errorf("ABC123 currentMileageEstimate = %v, want 0", r.at("vehicle.currentMileageEstimate"))
				}
				for i := range r.at("vehicle.importedCustomers").([]any) {
					for _, f := range []string{"lastName", "city"} {
						if r.at(fmt.Sprintf("vehicle.importedCustomers.%d.%s", i, f)) == nil {
							t.Errorf("%s: importedCustomers.%d.%s is null", plate, i, f)
						}
					}
				}
				if r.at("vehicle.importedCustomers.0.firstName") == nil && r.at("vehicle.importedCustomers.0.civility") != nil {
					t.Errorf("%s: imported first name lost: %v", plate, r.at("vehicle.importedCustomers"))
				}
				for i := range r.at("vehicle.operations").([]any) {
					if r.at(fmt.Sprintf("vehicle.operations.%d.mileage", i)) == nil || r.at(fmt.Sprintf("vehicle.operations.%d.date", i)) == nil {
						t.Errorf("%s: operation %d has no mileage/date", plate, i)
					}
				}
				if r.at("vehicle.customers.0.consents.sms") == nil || r.at("vehicle.customers.0.pointOfSale.code") == nil {
					t.Errorf("%s: customer consents/point of sale: %v", plate, r.at("vehicle.customers"))
				}
			}
			r := g.query(`{ vehicle(plate: "ABC123") { importedCustomers { firstName lastName mobile } } }`, nil)
			if r.at("vehicle.importedCustomers.0.firstName") != "PHILLIPE" || r.at("vehicle.importedCustomers.0.mobile") != "33612345678" {
				t.Errorf("ABC123 imported customer: %v", r.Data)
			}
		})
	}
}

const campaignQuery = `query ($pos: String!, $page: Int) { campaignCustomers(pointOfSale: $pos, page: $page) {
  page organizationId articleCode lastPage total hasNextPage
  campaigns { id customers { lastName promotions { id } } } } }`

// campaignCustomers: no made-up paging. lastPage and total come only from
// MMP (the document's reading sends none); hasNextPage reads the next page
// when MMP does not say; an unknown point of sale is null and NOT_FOUND.
func TestCampaignCustomersHonestPaging(t *testing.T) {
	for name, reading := range mmpReadings {
		t.Run(name, func(t *testing.T) {
			// A fleet large enough for 920150 to have several pages.
			_, env := mmpUpstreamFleet(t, reading, 400, nil)
			g := startGateway(t, env)
			r := g.query(campaignQuery, map[string]any{"pos": "920150"})
			if len(r.Errors) != 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			paged := reading == mmpfake.OtherReading
			if r.at("campaignCustomers.organizationId") != "78612" || r.at("campaignCustomers.hasNextPage") != true ||
				(r.at("campaignCustomers.total") != nil) != paged || (r.at("campaignCustomers.lastPage") != nil) != paged ||
				r.at("campaignCustomers.campaigns.0.customers.0.promotions.0.id") == nil {
				t.Fatalf("page 1: %v", r.Data)
			}
			page := 1
			for r.at("campaignCustomers.hasNextPage") == true {
				page++
				r = g.query(campaignQuery, map[string]any{"pos": "920150", "page": page})
				if len(r.Errors) != 0 || page > 50 {
					t.Fatalf("page %d: %+v", page, r.Errors)
				}
				if n := len(r.at("campaignCustomers.campaigns").([]any)); n == 0 {
					t.Fatalf("page %d is empty but the page before said it was not the last", page)
				}
			}
			if paged && r.at("campaignCustomers.lastPage") != float64(page) {
				t.Errorf("last page %d, MMP said %v", page, r.at("campaignCustomers.lastPage"))
			}
			if r = g.query(campaignQuery, map[string]any{"pos": "920150", "page": page + 1}); len(r.at("campaignCustomers.campaigns").([]any)) != 0 {
				t.Errorf("page %d said it was the last, but page %d has campaigns", page, page+1)
			}
			r = g.query(campaignQuery, map[string]any{"pos": "999999"})
			if got := r.codes(); len(got) != 1 || got[0] != "NOT_FOUND@mmp" || r.Data["campaignCustomers"] != nil {
				t.Fatalf("unknown point of sale: codes %v data %v", got, r.Data)
			}
		})
	}
}

// The cost model: a query costs its upstream work. The full vehicle and
// campaigns with promotions fit the default budget; queries that fan out a
// call per item do not. X-Switchboard-Cost: 1 reports the cost.
func TestCostFollowsUpstreamWork(t *testing.T) {
	f, env := mmpUpstream(t, nil)
	g := startGateway(t, env)
	cost := func(q string, vars map[string]any) (gqlResponse, float64) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		_, raw := g.post(g.key, "application/json", string(body), map[string]string{"X-Switchboard-Cost": "1"})
		var r gqlResponse
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("%s", raw)
		}
		c, _ := r.Extensions["cost"].(map[string]any)
		if len(r.Errors) > 0 {
			c, _ = r.Errors[0].Extensions["cost"].(map[string]any)
		}
		n, _ := c["requested"].(float64)
		return r, n
	}
	full := `query ($p: String!) { vehicle(plate: $p) { ` + fullVehicleSelection(t) + ` } }`
	fits := []struct {
		name, q string
		vars    map[string]any
		max     float64
	}{
		{"full vehicle", full, map[string]any{"p": "AB123CD"}, 100},
		{"campaign promotions", `{ campaignCustomers(pointOfSale: "920150") { campaigns { customers { promotions { id } } } } }`, nil, 20},
	}
	for _, c := range fits {
		r, n := cost(c.q, c.vars)
		if len(r.Errors) != 0 || n <= 0 || n > c.max {
			t.Errorf("%s: cost %v (want ≤ %v), errors %+v", c.name, n, c.max, r.Errors)
		}
	}
	f.Knobs.ResetCalls()
	fanOut := []string{
		`{ vehicle(plate: "AB123CD") { customers { vehicles { customers { vehicles { customers { vehicles { vin } } } } } } } }`,
		`{ interfaces { prestations { prestation { associated { associated { code } } } } } }`,
	}
	for _, q := range fanOut {
		r, n := cost(q, nil)
		if got := r.codes(); len(got) != 1 || got[0] != "QUERY_TOO_COMPLEX" || n <= 5000 {
			t.Errorf("%s: codes %v cost %v, want QUERY_TOO_COMPLEX over 5000", q, got, n)
		}
	}
	if n := f.Knobs.TotalCalls(); n != 0 {
		t.Fatalf("refused queries made %d MMP calls", n)
	}
}
