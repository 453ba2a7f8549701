package fake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestSearchMatch(t *testing.T) {
	tests := []struct {
		search, name string
		want         bool
	}{
		{`jean`, "Jean Dupont", true},
		{`jea dup`, "Jean Dupont", true},
		{`dupont jean`, "Jean Dupont", true},
		{`"dupont jean"`, "Jean Dupont", false},
		{`"jean dupont"`, "Jean Dupont", true},
		{`"JEAN DUPONT"`, "jean dupont", true},
		{`"jean-pierre"`, "Jean Pierre Martin", true},
		{`"jean pierre"`, "Jean-Pierre Martin", true},
		{`"jean:pierre,martin"`, "Jean-Pierre Martin", true},
		{`"Octavia.Butler"`, "Butler Octavia", true},
		{`"Octavia Butler"`, "Butler Octavia", false},
		{`"Octavia" "Butler"`, "Octavia Lee Butler", true},
		{`"Octavia Butler"`, "Octavia. Butler", false},
		{`"helene"`, "Hélène Durand", true},
		{`"lene"`, "Hélène Durand", false},
		{`"hélène" dur`, "Hélène Durand", true},
		{`"hélène" mar`, "Hélène Durand", false},
		{`"soleil du`, "SARL Soleil du Sud", true},
		{`""`, "anything", true},
	}
	for _, tt := range tests {
		if got := parseSearch(tt.search).match(tt.name); got != tt.want {
			t.Errorf("search %s on %q = %v, want %v", tt.search, tt.name, got, tt.want)
		}
	}
}

func TestMatchFilter(t *testing.T) {
	tests := []struct {
		cell, op, value string
		want            bool
	}{
		{"user1", "=", "user1", true},
		{"Signé", "=", "signé", true},
		{"user1", "=", "user10", false},
		{"9", "<", "10", true},
		{"9", ">", "10", false},
		{"2022-03-01", ">=", "2022-03-01", true},
		{"2022-03-01", "<=", "2022-02-28", false},
		{"6.5", ">", "6", true},
		{"user2", "IN", "user1,user2", true},
		{"user3", "IN", `["user1","user2"]`, false},
		{"user2", "IN", ` user1 , user2 `, true},
		{"Devis envoyé", "CONTAINS", "ENVOY", true},
		{"Devis envoyé", "CONTAINS", "signé", false},
	}
	for _, tt := range tests {
		if got := matchFilter(tt.cell, true, tt.op, tt.value); got != tt.want {
			t.Errorf("%q %s %q = %v, want %v", tt.cell, tt.op, tt.value, got, tt.want)
		}
	}
	if matchFilter("", false, "=", "") {
		t.Error("a null cell matched")
	}
}

func TestDeterministic(t *testing.T) {
	a, b := New(Options{Seed: 7, Folders: 50}), New(Options{Seed: 7, Folders: 50})
	fa, fb := a.Folders(), b.Folders()
	for i := range fa {
		if fa[i].ID != fb[i].ID || fa[i].Values[ColPhone] != fb[i].Values[ColPhone] {
			t.Fatalf("folder %d differs between two fakes with the same seed", i)
		}
	}
	if c := New(Options{Seed: 8, Folders: 50}).Folders(); c[0].ID == fa[0].ID {
		t.Error("different seeds gave the same data")
	}
	// The first folder is the documented caller, under every phone form,
	// and the only folder with that number.
	for _, forms := range []bool{false, true} {
		fs := New(Options{Seed: 7, Folders: 50, PhoneForms: forms}).Folders()
		if fs[0].Values[ColPhone] != ExamplePhone {
			t.Errorf("phone forms %v: first folder's phone %q", forms, fs[0].Values[ColPhone])
		}
		for _, f := range fs[1:] {
			if strings.Contains(strings.NewReplacer(" ", "", ".", "").Replace(f.Values[ColPhone]), "612345678") {
				t.Errorf("folder %s also has the example phone: %q", f.ID, f.Values[ColPhone])
			}
		}
	}
	if n := len(New(Options{}).Folders()); n != 2000 {
		t.Errorf("default folders = %d", n)
	}
}

type rawResp struct {
	status int
	body   map[string]any
}

func post(t *testing.T, srv *httptest.Server, key, body string) rawResp {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/external/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) rawResp {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	return rawResp{resp.StatusCode, m}
}

func firstCode(r rawResp) string {
	errs, _ := r.body["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	code, _ := ext["code"].(string)
	return code
}

func TestHTTP(t *testing.T) {
	f := New(Options{APIKey: "k", Folders: 30})
	srv := httptest.NewServer(f)
	defer srv.Close()
	tests := []struct {
		name, key, body string
		status          int
		code            string
		check           func(t *testing.T, data map[string]any)
	}{
		{name: "no key", body: `{"query":"{ erpEnrAPI { getTeams { id } } }"}`, status: 401, code: "UNAUTHENTICATED"},
		{name: "wrong key", key: "nope", body: `{"query":"{ erpEnrAPI { getTeams { id } } }"}`, status: 401, code: "UNAUTHENTICATED"},
		{name: "bad json", key: "k", body: `{"query":`, status: 400, code: "BAD_REQUEST"},
		{name: "parse error", key: "k", body: `{"query":"{ erpEnrAPI {"}`, status: 400, code: "GRAPHQL_PARSE_FAILED"},
		{name: "unknown field", key: "k", body: `{"query":"{ erpEnrAPI { getTeamz { id } } }"}`, status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "missing required arg", key: "k", body: `{"query":"{ erpEnrAPI { getColumns(page: 1) { id } } }"}`, status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "bad variable", key: "k", body: `{"query":"query($p: Int!) { erpEnrAPI { getColumns(page: $p, itemParPage: 2) { id } } }","variables":{"p":"x"}}`, status: 400, code: "BAD_USER_INPUT"},
		{name: "aliases, fragments, typename, variables", key: "k",
			body:   `{"query":"query Q($n: Int!) { erpEnrAPI { __typename first: getColumns(page: 1, itemParPage: $n) { ...C } second: getColumns(page: 2, itemParPage: $n) { ... on ColumnDefinition { id } } } } fragment C on ColumnDefinition { id label }","variables":{"n":2},"operationName":"Q"}`,
			status: 200,
			check: func(t *testing.T, data map[string]any) {
				api := data["erpEnrAPI"].(map[string]any)
				if api["__typename"] != "ErpEnrAPI" {
					t.Errorf("__typename = %v", api["__typename"])
				}
				first := api["first"].([]any)
				if len(first) != 2 || first[0].(map[string]any)["label"] != "Nom du client" {
					t.Errorf("first = %v", first)
				}
				second := api["second"].([]any)
				if second[0].(map[string]any)["id"] != "col3" {
					t.Errorf("second = %v", second)
				}
			}},
		{name: "skip and include", key: "k", body: `{"query":"{ erpEnrAPI { getTeams { id name @skip(if: true) color @include(if: false) } } }"}`, status: 200,
			check: func(t *testing.T, data map[string]any) {
				team := data["erpEnrAPI"].(map[string]any)["getTeams"].([]any)[0].(map[string]any)
				if len(team) != 1 {
					t.Errorf("team = %v", team)
				}
			}},
		{name: "null propagation to data", key: "k", body: `{"query":"{ erpEnrAPI { getUsers(teamId: \"999\") { id } } }"}`, status: 200, code: "NOT_FOUND",
			check: func(t *testing.T, data map[string]any) {
				if data != nil {
					t.Errorf("data = %v, want null", data)
				}
			}},
		{name: "page out of range", key: "k", body: `{"query":"{ erpEnrAPI { getFolders(page: 0, itemParPage: 10) { totalCount } } }"}`, status: 200, code: "BAD_USER_INPUT"},
		{name: "too many per page", key: "k", body: `{"query":"{ erpEnrAPI { getFolders(page: 1, itemParPage: 201) { totalCount } } }"}`, status: 200, code: "BAD_USER_INPUT"},
		{name: "unknown operator", key: "k", body: `{"query":"{ erpEnrAPI { getFolders(page: 1, itemParPage: 10, filterColumns: [{column: \"statut\", operator: \"LIKE\", value: \"x\"}]) { totalCount } } }"}`, status: 200, code: "BAD_USER_INPUT"},
		{name: "introspection disabled", key: "k", body: `{"query":"{ __schema { queryType { name } } }"}`, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, srv, tt.key, tt.body)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%v)", r.status, tt.status, r.body)
			}
			if got := firstCode(r); got != tt.code {
				t.Errorf("code = %q, want %q (%v)", got, tt.code, r.body)
			}
			if tt.check != nil {
				data, _ := r.body["data"].(map[string]any)
				tt.check(t, data)
			}
		})
	}
}

func TestGETAndCounts(t *testing.T) {
	f := New(Options{APIKey: "k", Folders: 10})
	srv := httptest.NewServer(f)
	defer srv.Close()
	q := url.Values{"query": {`{ erpEnrAPI { getTeams { id } getUsers { id } } }`}}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer k")
	if r := do(t, req); r.status != 200 || r.body["errors"] != nil {
		t.Fatalf("GET: %d %v", r.status, r.body)
	}
	q = url.Values{"query": {`mutation { upsertProspect(firstName: "x") { id } }`}}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer k")
	if r := do(t, req); r.status != 405 {
		t.Errorf("mutation over GET: %d", r.status)
	}
	if f.Knobs.Calls("getTeams") != 1 || f.Knobs.Calls("getUsers") != 1 || f.Knobs.Calls("upsertProspect") != 0 {
		t.Errorf("counts: teams %d users %d upsert %d", f.Knobs.Calls("getTeams"), f.Knobs.Calls("getUsers"), f.Knobs.Calls("upsertProspect"))
	}
	if got := f.Received(); len(got) != 1 {
		t.Errorf("received %d requests", len(got))
	}
}

func TestUpsertExplicitNullClears(t *testing.T) {
	f := New(Options{APIKey: "k", Folders: 10})
	srv := httptest.NewServer(f)
	defer srv.Close()
	var id string
	for _, p := range f.Prospects() {
		if !p.Converted {
			id = p.ID
			break
		}
	}
	body := `{"query":"mutation($id: ID, $n: String, $a: String) { upsertProspect(id: $id, commercialNote: $n, address: $a) { id } }","variables":{"id":"` + id + `","n":"rappeler","a":null}}`
	if r := post(t, srv, "k", body); r.status != 200 || r.body["errors"] != nil {
		t.Fatalf("%d %v", r.status, r.body)
	}
	p, _ := f.Prospect(id)
	if p.Fields["commercialNote"] != "rappeler" || p.Fields["address"] != nil || p.Fields["firstName"] == nil {
		t.Errorf("fields = %v", p.Fields)
	}
}

// TestOtherReading: dotted keys refuse labels; phones come in every form.
func TestOtherReading(t *testing.T) {
	s := New(Options{Keys: KeysDotted, PhoneForms: true, Folders: 10})
	if _, _, ok := s.column("Nom du client"); ok {
		t.Error("a label was accepted under dotted keys")
	}
	if c, _, ok := s.column("client.telephone"); !ok || c.Key != ColPhone {
		t.Errorf("client.telephone = %+v %v", c, ok)
	}
	forms := map[string]bool{}
	for _, f := range s.Folders()[:5] {
		forms[f.Values[ColPhone][:2]] = true
	}
	if len(forms) < 3 {
		t.Errorf("phones in %d forms: %v", len(forms), forms)
	}
}
