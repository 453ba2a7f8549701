package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	mmpfake "switchboard/sources/mmp/fake"
)

// mmpUpstream runs an MMP fake behind an optional fault filter and returns
// the gateway environment pointing at it.
func mmpUpstream(t *testing.T, fail func(*http.Request) bool) (*mmpfake.Server, map[string]string) {
	t.Helper()
	return mmpUpstreamReading(t, mmpfake.DocumentReading, fail)
}

// mmpReadings are the MMP fake's two readings of the seed's cut-off
// samples; the MMP suites run under both.
var mmpReadings = map[string]mmpfake.Reading{"document": mmpfake.DocumentReading, "other": mmpfake.OtherReading}

func mmpUpstreamReading(t *testing.T, reading mmpfake.Reading, fail func(*http.Request) bool) (*mmpfake.Server, map[string]string) {
	t.Helper()
	return mmpUpstreamFleet(t, reading, 50, fail)
}

func mmpUpstreamFleet(t *testing.T, reading mmpfake.Reading, vehicles int, fail func(*http.Request) bool) (*mmpfake.Server, map[string]string) {
	t.Helper()
	f := mmpfake.New(mmpfake.Options{ClientID: "cid", ClientSecret: "csecret", Username: "u@example.com", Password: "pw", Version: "v2", Network: "trif", Seed: 7, Vehicles: vehicles, Reading: reading})
	var h http.Handler = f
	if fail != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if fail(r) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadGateway)
				_, _ = io.WriteString(w, "<html><h1>502 Bad Gateway</h1></html>")
				return
			}
			f.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return f, map[string]string{
		"MMP_BASE_URL": srv.URL, "MMP_API_VERSION": "v2", "MMP_NETWORK": "trif",
		"MMP_CLIENT_ID": "cid", "MMP_CLIENT_SECRET": "csecret", "MMP_USERNAME": "u@example.com", "MMP_PASSWORD": "pw",
	}
}

const fullVehicleQuery = `query ($plate: String!) { vehicle(plate: $plate) {
  plate vin releaseDate
  customers { id source lastName mobile }
  invoices { id date amount lines { jobLabel quantity } }
  operations { label date }
  forecasts { label dueDate }
  reminders { label channels }
} }`

func TestVehicleOneVision360Call(t *testing.T) {
	f, env := mmpUpstream(t, nil)
	g := startGateway(t, env)
	r := g.query(fullVehicleQuery, map[string]any{"plate": "ab-123 cd"})
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if r.at("vehicle.plate") != "AB123CD" || r.at("vehicle.customers.0.lastName") == nil || r.at("vehicle.invoices.0.amount") == nil || r.at("vehicle.forecasts.0.label") == nil {
		t.Fatalf("incomplete vehicle: %v", r.Data)
	}
	if r.at("vehicle.customers.0.source") != "MMP" {
		t.Errorf("customer source = %v", r.at("vehicle.customers.0.source"))
	}
	if n := f.Knobs.Calls("vision360"); n != 1 || f.Knobs.TotalCalls()-f.Knobs.Calls("token") != 1 {
		t.Fatalf("upstream calls: vision360=%d total=%d, want exactly one vision360", n, f.Knobs.TotalCalls())
	}
	// One list alone uses its own endpoint, not vision360.
	f.Knobs.ResetCalls()
	r = g.query(`{ vehicle(plate: "DEF123") { plate forecasts { label } } }`, nil)
	if len(r.Errors) != 0 || f.Knobs.Calls("previsions") != 1 || f.Knobs.Calls("vision360") != 0 {
		t.Fatalf("single list: errors %v, previsions=%d vision360=%d", r.Errors, f.Knobs.Calls("previsions"), f.Knobs.Calls("vision360"))
	}
}

func TestVehicleBadInput(t *testing.T) {
	_, env := mmpUpstream(t, nil)
	g := startGateway(t, env)
	cases := []struct{ plate, code string }{
		{"!!!", "BAD_USER_INPUT"},
		{"ZZ999ZZ", "NOT_FOUND@mmp"},
	}
	for _, c := range cases {
		r := g.query(`query ($p: String!) { vehicle(plate: $p) { plate customers { lastName } } }`, map[string]any{"p": c.plate})
		if got := r.codes(); len(got) != 1 || got[0] != c.code || r.at("vehicle") != nil {
			t.Errorf("plate %q: codes %v data %v, want %s and null", c.plate, got, r.Data, c.code)
		}
	}
}

func TestVehiclePartialDataWhenOneEndpointFails(t *testing.T) {
	// vision360 and factures fail: every other list falls back to its own
	// endpoint, invoices alone is an error naming MMP.
	_, env := mmpUpstream(t, func(r *http.Request) bool {
		return strings.Contains(r.URL.Path, "/vision360") || strings.Contains(r.URL.Path, "/factures")
	})
	g := startGateway(t, env)
	r := g.query(`{ vehicle(plate: "AB123CD") { plate customers { lastName } invoices { amount } forecasts { label } } }`, nil)
	if r.at("vehicle.customers.0.lastName") == nil || r.at("vehicle.forecasts.0.label") == nil {
		t.Fatalf("healthy lists missing: %v", r.Data)
	}
	if got := r.codes(); len(got) != 1 || got[0] != "UPSTREAM_UNAVAILABLE@mmp" {
		t.Fatalf("codes %v, want one UPSTREAM_UNAVAILABLE@mmp", got)
	}
	if p := r.Errors[0].Path; len(p) != 2 || p[1] != "invoices" {
		t.Errorf("error path %v, want vehicle.invoices", p)
	}
}

func TestConcurrentIdenticalQueriesMakeOneUpstreamCall(t *testing.T) {
	f, env := mmpUpstream(t, nil)
	f.Knobs.SetLatency(50 * 1e6)
	g := startGateway(t, env)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := g.query(fullVehicleQuery, map[string]any{"plate": "AB123CD"}); len(r.Errors) != 0 {
				t.Error(r.Errors)
			}
		}()
	}
	wg.Wait()
	if n := f.Knobs.Calls("vision360"); n != 1 {
		t.Fatalf("vision360 calls = %d for 10 identical concurrent queries, want 1", n)
	}
}

func TestUploadCustomerInvoices(t *testing.T) {
	f, env := mmpUpstream(t, nil)
	g := startGateway(t, env)
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("clients.csv")
	_, _ = io.WriteString(w, "id;nom\n1;DUPONT\n")
	_ = zw.Close()
	cases := []struct {
		name, file string
		body       []byte
		want       string
		calls      int
	}{
		{"zip accepted", "export.zip", zbuf.Bytes(), "", 1},
		{"not a zip", "export.zip", []byte("hello, not a zip"), "BAD_USER_INPUT", 0},
	}
	for _, c := range cases {
		f.Knobs.ResetCalls()
		r := upload(t, g, c.file, c.body)
		got := strings.Join(r.codes(), ",")
		if got != c.want || f.Knobs.Calls("clients-factures") != c.calls {
			t.Errorf("%s: codes %q (want %q), upstream calls %d (want %d)", c.name, got, c.want, f.Knobs.Calls("clients-factures"), c.calls)
		}
		if c.want == "" && r.at("uploadCustomerInvoices.success") != true {
			t.Errorf("%s: %v", c.name, r.Data)
		}
	}
}

// upload sends a GraphQL multipart request (the multipart request spec).
func upload(t *testing.T, g *testGateway, filename string, data []byte) gqlResponse {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation ($f: Upload!) { uploadCustomerInvoices(organizationId: "57525", file: $f) { success message } }`,
		"variables": map[string]any{"f": nil},
	})
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", filename)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", g.url+"/graphql", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+g.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResponse
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	return out
}

func TestNotConfiguredSource(t *testing.T) {
	g := startGateway(t, map[string]string{"SWITCHBOARD_SANDBOX": ""})
	r := g.query(`{ vehicle(plate: "AB123CD") { plate } }`, nil)
	if got := r.codes(); len(got) != 1 || got[0] != "NOT_CONFIGURED@mmp" {
		t.Fatalf("codes %v, want NOT_CONFIGURED@mmp", got)
	}
}

func TestMissingScopeIsForbiddenOnThatFieldOnly(t *testing.T) {
	_, env := mmpUpstream(t, nil)
	keys := t.TempDir() + "/keys"
	if err := os.WriteFile(keys, []byte("narrow k-narrow vehicles:read\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env["SWITCHBOARD_API_KEYS_FILE"] = keys
	g := startGateway(t, env)
	r := g.queryAs("k-narrow", `{ vehicle(plate: "AB123CD") { plate forecasts { label } customers { lastName } } }`, nil)
	if r.at("vehicle.plate") != "AB123CD" || r.at("vehicle.forecasts.0.label") == nil {
		t.Fatalf("allowed fields missing: %v", r.Data)
	}
	if got := r.codes(); len(got) != 1 || got[0] != "FORBIDDEN" || r.Errors[0].Path[1] != "customers" {
		t.Fatalf("codes %v at %v, want FORBIDDEN on vehicle.customers", got, r.Errors)
	}
}
