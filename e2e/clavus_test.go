package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/graph/cache"
	"switchboard/graph/folders"
	"switchboard/graph/gateway"
	"switchboard/sources/clavus"
	clavusfake "switchboard/sources/clavus/fake"
	"switchboard/sources/phone"
)

// clavusReadings are the two readings of the Clavus guide the fake serves:
// ours, and the other one (ids String, puissanceKc Int, dotted keys under
// other labels that refuse labels, phones stored in every form).
var clavusReadings = []struct {
	name string
	opts clavusfake.Options
}{
	{"documented", clavusfake.Options{}},
	{"other", clavusfake.Options{Typing: clavusfake.TypingStringInt, Keys: clavusfake.KeysDotted, PhoneForms: true}},
}

// clavusUpstream runs a Clavus fake and returns the gateway environment for it.
func clavusUpstream(t *testing.T) (*clavusfake.Server, map[string]string) {
	t.Helper()
	return clavusUpstreamWith(t, clavusfake.Options{})
}

// clavusUpstreamWith is clavusUpstream for a fake with opts.
func clavusUpstreamWith(t *testing.T, opts clavusfake.Options) (*clavusfake.Server, map[string]string) {
	t.Helper()
	opts.APIKey, opts.Seed = "clavus-key", 7
	f := clavusfake.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, map[string]string{"CLAVUS_URL": srv.URL + "/api/external/graphql", "CLAVUS_API_KEY": "clavus-key"}
}

// clavusCalls counts the operations the fake received, by name.
func clavusCalls(f *clavusfake.Server) map[string]int {
	out := map[string]int{}
	for _, r := range f.Received() {
		out[r.OperationName]++
	}
	return out
}

func TestClavusFolderValuesBatched(t *testing.T) {
	for _, rd := range clavusReadings {
		t.Run(rd.name, func(t *testing.T) { testClavusFolderValuesBatched(t, rd.opts) })
	}
}

func testClavusFolderValuesBatched(t *testing.T, opts clavusfake.Options) {
	f, env := clavusUpstreamWith(t, opts)
	g := startGateway(t, env)
	r := g.query(`{ folders(perPage: 50) { totalCount results { id columns { name value } values { name value } } } }`, nil)
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if n, _ := r.at("folders.totalCount").(float64); n < 2000 {
		t.Errorf("totalCount = %v, want >= 2000", r.at("folders.totalCount"))
	}
	results, _ := r.at("folders.results").([]any)
	if len(results) != 50 {
		t.Fatalf("results = %d, want 50", len(results))
	}
	for i := range results {
		vals, _ := r.at("folders.results." + strconv.Itoa(i) + ".values").([]any)
		if len(vals) == 0 {
			t.Fatalf("folder %d has no values", i)
		}
	}
	calls := clavusCalls(f)
	if calls["GetFolders"] != 1 || calls["GetValuesByIds"] != 1 {
		t.Fatalf("upstream calls %v, want one GetFolders and ONE GetValuesByIds", calls)
	}
	// The page and its values are cached: asking again costs nothing; the
	// next page asks only for its own values.
	g.query(`{ folders(perPage: 50) { results { id values { name } } } }`, nil)
	if calls := clavusCalls(f); calls["GetFolders"] != 1 || calls["GetValuesByIds"] != 1 {
		t.Fatalf("after a second query: %v, want no new call", calls)
	}
	g.query(`{ folders(perPage: 50, page: 2) { results { id values { name } } } }`, nil)
	last := f.Received()[len(f.Received())-1]
	if ids, _ := last.Variables["ids"].([]any); last.OperationName != "GetValuesByIds" || len(ids) != 50 {
		t.Fatalf("page 2 asked %s for %d ids, want GetValuesByIds for its 50", last.OperationName, len(ids))
	}
}

func TestClavusTeamsUsersOneRequest(t *testing.T) {
	for _, rd := range clavusReadings {
		t.Run(rd.name, func(t *testing.T) { testClavusTeamsUsersOneRequest(t, rd.opts) })
	}
}

func testClavusTeamsUsersOneRequest(t *testing.T, opts clavusfake.Options) {
	f, env := clavusUpstreamWith(t, opts)
	g := startGateway(t, env)
	q := `{ teams { id name color users { id firstName lastName email } } }`
	r := g.query(q, nil)
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	teams, _ := r.at("teams").([]any)
	if len(teams) < 2 {
		t.Fatalf("teams = %d, want several", len(teams))
	}
	if users, _ := r.at("teams.0.users").([]any); len(users) == 0 {
		t.Fatalf("team 0 has no users: %v", r.Data)
	}
	calls := clavusCalls(f)
	delete(calls, "IntrospectionQuery")
	if calls["GetTeams"] != 1 || calls["GetUsersOfTeams"] != 1 || len(calls) != 2 {
		t.Fatalf("calls %v, want 1 GetTeams and 1 aliased GetUsersOfTeams", calls)
	}
	g.query(q, nil)
	if again := clavusCalls(f); again["GetTeams"] != 1 || again["GetUsersOfTeams"] != 1 {
		t.Fatalf("warm query called Clavus: %v", again)
	}
}

func TestClavusSearchFilterSort(t *testing.T) {
	f, env := clavusUpstream(t)
	g := startGateway(t, env)
	folders := f.Folders()
	name := func(fo clavusfake.Folder) string { return fo.Values["client.nom"] }
	want := name(folders[17])
	// The first word of a client name, quoted, lower-cased and with a soft
	// separator inside, still finds that client.
	word := strings.Fields(want)[0]
	r := g.query(`query ($s: String) { folders(search: $s, perPage: 200) { totalCount results { columns { name value } } } }`,
		map[string]any{"s": `"` + strings.ToLower(word) + `"`})
	if len(r.Errors) != 0 || r.at("folders.totalCount").(float64) < 1 {
		t.Fatalf("search %q: %v %v", word, r.Errors, r.Data)
	}
	for i, res := range r.at("folders.results").([]any) {
		found := false
		for _, c := range res.(map[string]any)["columns"].([]any) {
			if v, _ := c.(map[string]any)["value"].(string); strings.Contains(strings.ToLower(v), strings.ToLower(word)) {
				found = true
			}
		}
		if !found {
			t.Fatalf("result %d does not match %q", i, word)
		}
	}

	r = g.query(`{ folders(perPage: 20, filter: [{column: "puissanceKc", operator: ">=", value: "100"}], sort: [{column: "puissanceKc", direction: DESC}], columns: ["puissanceKc"]) { totalCount results { columns { value } } } }`, nil)
	if len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	prev := 1e18
	for i, res := range r.at("folders.results").([]any) {
		v := res.(map[string]any)["columns"].([]any)[0].(map[string]any)["value"].(string)
		p, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("result %d power %q: %v", i, v, err)
		}
		if p < 100 || p > prev {
			t.Fatalf("result %d power %v: not >= 100 or not descending after %v", i, p, prev)
		}
		prev = p
	}
}

func TestClavusInputErrors(t *testing.T) {
	f, env := clavusUpstream(t)
	g := startGateway(t, env)
	cases := []struct {
		name, query, field string
	}{
		{"perPage too big", `{ folders(perPage: 201) { totalCount } }`, "perPage"},
		{"perPage zero", `{ folders(perPage: 0) { totalCount } }`, "perPage"},
		{"page zero", `{ folders(page: 0) { totalCount } }`, "page"},
		{"unknown operator", `{ folders(filter: [{column: "statut", operator: "LIKE", value: "x"}]) { totalCount } }`, "filter.operator"},
		{"bad e-mail", `mutation { upsertProspect(input: {lastName: "X", email: "not-an-email"}) { id } }`, "input.email"},
		{"bad SIREN", `mutation { upsertProspect(input: {lastName: "X", siren: "12345"}) { id } }`, "input.siren"},
		{"GPS out of range", `mutation { upsertProspect(input: {lastName: "X", gps: {lat: "95.0", lng: "1.2"}}) { id } }`, "input.gps.lat"},
		{"GPS not decimal", `mutation { upsertProspect(input: {lastName: "X", gps: {lat: "43.1", lng: "east"}}) { id } }`, "input.gps.lng"},
		{"bad phone", `mutation { upsertProspect(input: {lastName: "X", phone: "12"}) { id } }`, "input.phone"},
		{"nothing to write", `mutation { upsertProspect(input: {id: "abc"}) { id } }`, "input"},
	}
	for _, c := range cases {
		r := g.query(c.query, nil)
		if got := strings.Join(r.codes(), ","); got != "BAD_USER_INPUT" {
			t.Errorf("%s: codes %q (%v)", c.name, got, r.Errors)
			continue
		}
		if field := r.Errors[0].Extensions["field"]; field != c.field {
			t.Errorf("%s: field %v, want %s", c.name, field, c.field)
		}
	}
	if n := len(f.Received()); n != 0 {
		t.Errorf("refused input reached Clavus %d times: %v", n, clavusCalls(f))
	}
}

func TestClavusUpsertProspect(t *testing.T) {
	for _, rd := range clavusReadings {
		t.Run(rd.name, func(t *testing.T) { testClavusUpsertProspect(t, rd.opts) })
	}
}

func testClavusUpsertProspect(t *testing.T, opts clavusfake.Options) {
	f, env := clavusUpstreamWith(t, opts)
	g := startGateway(t, env)
	page := `{ folders(perPage: 5) { totalCount } }`
	g.query(page, nil)

	r := g.query(`mutation { upsertProspect(input: {firstName: "Jeanne", lastName: "Martin", email: "jeanne@example.fr", phone: "06 12 34 56 78", type: PHYSICAL, siren: "123 456 789", powerKWc: 9, priceHT: "12000.00", gps: {lat: "43.1167", lng: "1.6103"}}) { id firstName phone type powerKWc gps { lat lng } } }`, nil)
	if len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	id, _ := r.at("upsertProspect.id").(string)
	if id == "" || r.at("upsertProspect.phone") != "33612345678" || r.at("upsertProspect.gps.lat") != "43.1167" || r.at("upsertProspect.type") != "PHYSICAL" {
		t.Fatalf("created: %v", r.Data)
	}
	// The upsert dropped the cached page: the same page query reaches Clavus again.
	g.query(page, nil)
	if n := clavusCalls(f)["GetFolders"]; n != 2 {
		t.Errorf("GetFolders after upsert = %d, want 2 (cache invalidated)", n)
	}

	r = g.query(`mutation ($id: ID) { upsertProspect(input: {id: $id, commercialNote: "rappeler lundi"}) { id firstName commercialNote } }`, map[string]any{"id": id})
	if len(r.Errors) != 0 || r.at("upsertProspect.firstName") != "Jeanne" || r.at("upsertProspect.commercialNote") != "rappeler lundi" {
		t.Fatalf("update: %v %v", r.Errors, r.Data)
	}

	f.SetConverted(id, true)
	r = g.query(`mutation ($id: ID) { upsertProspect(input: {id: $id, lastName: "Durand"}) { id } }`, map[string]any{"id": id})
	if got := strings.Join(r.codes(), ","); got != "UPSTREAM_REJECTED@clavus" {
		t.Fatalf("converted prospect: codes %q (%v)", got, r.Errors)
	}
	if !strings.Contains(r.Errors[0].Message, clavusfake.ConvertedMessage) {
		t.Errorf("message %q does not carry Clavus's", r.Errors[0].Message)
	}
}

func TestClavusFaults(t *testing.T) {
	_, env := clavusUpstream(t)
	env["CLAVUS_API_KEY"] = "wrong-key"
	g := startGateway(t, env)
	r := g.query(`{ teams { id } sources { name configured } }`, nil)
	if got := strings.Join(r.codes(), ","); got != "UPSTREAM_UNAVAILABLE@clavus" {
		t.Fatalf("bad key: codes %q (%v)", got, r.Errors)
	}
	if r.at("sources") == nil {
		t.Error("a Clavus failure blanked the rest of the response")
	}

	f2, env2 := clavusUpstream(t)
	g2 := startGateway(t, env2)
	ids := []any{f2.Folders()[0].ID, "no-such-folder", f2.Folders()[1].ID}
	r = g2.query(`query ($ids: [ID!]!) { folderValues(ids: $ids) { id values { name } } }`, map[string]any{"ids": ids})
	if got := strings.Join(r.codes(), ","); got != "NOT_FOUND@clavus" {
		t.Fatalf("unknown id: codes %q (%v)", got, r.Errors)
	}
	if r.at("folderValues.0.id") != ids[0] || r.at("folderValues.1") != nil || r.at("folderValues.2.id") != ids[2] {
		t.Fatalf("partial values: %v", r.Data)
	}
	if p := r.Errors[0].Path; len(p) != 2 || p[1] != float64(1) {
		t.Errorf("error path %v, want [folderValues 1]", p)
	}
	if n := clavusCalls(f2)["GetValuesByIds"]; n != 1 {
		t.Errorf("GetValuesByIds calls = %d, want 1", n)
	}

	f2.Knobs.SetLatency(50 * time.Millisecond)
	f2.Knobs.SetDown(true)
	r = g2.query(`{ folders { totalCount } }`, nil)
	if codes := r.codes(); len(codes) != 1 || !strings.HasSuffix(codes[0], "@clavus") {
		t.Fatalf("Clavus down: codes %v", codes)
	}
}

// TestClavusCallerLookupEveryForm finds the caller of a folder whatever form
// its phone is stored in, through contact(phone:) and the PBX's
// cmd=contact, and answers cmd=users, under both readings.
func TestClavusCallerLookupEveryForm(t *testing.T) {
	for _, rd := range clavusReadings {
		t.Run(rd.name, func(t *testing.T) {
			opts := rd.opts
			opts.PhoneForms = true
			f, env := clavusUpstreamWith(t, opts)
			g := startGateway(t, env)
			if st, body := g.webhook(form("cmd", "users", "crm_token", sandboxCRMToken)); st != 200 || !strings.Contains(body, `"users":[{"id":"user1"`) {
				t.Fatalf("cmd=users: %d %s", st, body)
			}
			seenForms := map[int]bool{}
			for i, fo := range f.Folders()[:100] {
				stored := fo.Values[clavusfake.ColPhone]
				p, err := phone.Normalize(stored)
				if err != nil || seenForms[i%5] {
					continue // the PBX sends valid numbers only
				}
				seenForms[i%5] = true
				r := g.query(`query ($p: String!) { contact(phone: $p) { name source } }`, map[string]any{"p": "+" + p})
				if len(r.Errors) != 0 || r.at("contact.name") != fo.Values[clavusfake.ColClient] {
					t.Errorf("stored as %q: contact %v %v, want %s", stored, r.Errors, r.Data, fo.Values[clavusfake.ColClient])
				}
				st, body := g.webhook(form("cmd", "contact", "crm_token", sandboxCRMToken, "phone", p, "callid", "form-"+strconv.Itoa(i)))
				if st != 200 || !strings.Contains(body, `"contact_name":"`+fo.Values[clavusfake.ColClient]+`"`) {
					t.Errorf("stored as %q: cmd=contact %d %s", stored, st, body)
				}
			}
			if len(seenForms) != 5 {
				t.Fatalf("only %d stored forms tried", len(seenForms))
			}
			// Labels are mapped to the keys Clavus takes.
			label := "Nom du client"
			if opts.Keys == clavusfake.KeysDotted {
				label = "client"
			}
			r := g.query(`query ($c: [String!]) { folders(perPage: 3, columns: $c, sort: [{column: "Date de création", direction: DESC}]) { results { columns { value } } } }`,
				map[string]any{"c": []string{label}})
			if opts.Keys == clavusfake.KeysDotted {
				r = g.query(`query ($c: [String!]) { folders(perPage: 3, columns: $c, sort: [{column: "Créé le", direction: DESC}]) { results { columns { value } } } }`,
					map[string]any{"c": []string{label}})
			}
			if len(r.Errors) != 0 || r.at("folders.results.0.columns.0.value") == nil {
				t.Fatalf("columns by label: %v %v", r.Errors, r.Data)
			}
		})
	}
}

// TestClavusCallerLookupFailureIsVisible: a Clavus whose columns the lookup
// cannot read is an error on contact(phone:), and the PBX still gets its
// answer in time.
func TestClavusCallerLookupFailureIsVisible(t *testing.T) {
	_, env := clavusUpstream(t)
	env["CLAVUS_PHONE_COLUMN"] = "no.such.column"
	g := startGateway(t, env)
	r := g.query(`{ contact(phone: "+33612345678") { name } }`, nil)
	if got := strings.Join(r.codes(), ","); got != "UPSTREAM_REJECTED@clavus" {
		t.Fatalf("codes %q (%v)", got, r.Errors)
	}
	if st, body := g.webhook(form("cmd", "contact", "crm_token", sandboxCRMToken, "phone", "0612345679", "callid", "x")); st != 200 || body != `{"contact_name":""}` {
		t.Fatalf("cmd=contact: %d %s", st, body)
	}
}

// TestClavusWholeNumbersUnderInt: a Clavus taking puissanceKc as Int gets
// whole numbers; 6.5 kWc is refused before the call, naming the field.
func TestClavusWholeNumbersUnderInt(t *testing.T) {
	f, env := clavusUpstreamWith(t, clavusfake.Options{Typing: clavusfake.TypingStringInt})
	g := startGateway(t, env)
	r := g.query(`mutation { upsertProspect(input: {lastName: "X", powerKWc: 6.5}) { id } }`, nil)
	if got := strings.Join(r.codes(), ","); got != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.powerKWc" {
		t.Fatalf("6.5 kWc: %v", r.Errors)
	}
	if n := clavusCalls(f)["UpsertProspect"]; n != 0 {
		t.Errorf("UpsertProspect sent %d times", n)
	}
}

// TestClavusUnknownColumns: a column name the catalog knows neither as a
// key nor as a label is BAD_USER_INPUT naming the argument and the name (cut
// to 100 characters), before Clavus is asked for the page; when the catalog
// cannot be loaded, the names go to Clavus as given.
func TestClavusUnknownColumns(t *testing.T) {
	long := strings.Repeat("x", 300)
	for _, rd := range clavusReadings {
		t.Run(rd.name, func(t *testing.T) {
			f, env := clavusUpstreamWith(t, rd.opts)
			g := startGateway(t, env)
			known := clavusfake.Columns[3].Label // "Commercial"
			if rd.opts.Keys == clavusfake.KeysDotted {
				known = clavusfake.DottedColumns[3].Label
			}
			// Warm the catalog with a known label.
			if r := g.query(`query ($c: [String!]) { folders(perPage: 1, columns: $c) { totalCount } }`, map[string]any{"c": []string{known}}); len(r.Errors) != 0 {
				t.Fatalf("known label %q: %v", known, r.Errors)
			}
			before := len(f.Received())
			for _, c := range []struct {
				name, query, field, value string
			}{
				{"columns", `{ folders(columns: ["Commercial", "nope"]) { totalCount } }`, "columns", `"nope"`},
				{"filter", `{ folders(filter: [{column: "statut du chantier", operator: "=", value: "x"}]) { totalCount } }`, "filter.column", `"statut du chantier"`},
				{"sort", `{ folders(sort: [{column: "` + long + `", direction: ASC}]) { totalCount } }`, "sort.column", `"` + strings.Repeat("x", 100) + `…"`},
			} {
				if rd.opts.Keys == clavusfake.KeysDotted {
					c.query = strings.Replace(c.query, `"Commercial"`, `"`+known+`"`, 1)
				}
				r := g.query(c.query, nil)
				if got := strings.Join(r.codes(), ","); got != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
					t.Errorf("%s: %v", c.name, r.Errors)
					continue
				}
				msg := r.Errors[0].Message
				if !strings.Contains(msg, c.field) || !strings.Contains(msg, c.value) || strings.Contains(msg, strings.Repeat("x", 101)) {
					t.Errorf("%s: message %q should name %s and %s, cut to 100 characters", c.name, msg, c.field, c.value)
				}
			}
			if n := len(f.Received()) - before; n != 0 {
				t.Errorf("unknown columns reached Clavus %d times", n)
			}
		})
	}

	t.Run("no catalog", func(t *testing.T) {
		f := clavusfake.New(clavusfake.Options{APIKey: "clavus-key", Seed: 7})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if bytes.Contains(body, []byte(`"operationName":"GetColumns"`)) {
				http.Error(w, "unavailable", http.StatusServiceUnavailable)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			f.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		g := startGateway(t, map[string]string{"CLAVUS_URL": srv.URL, "CLAVUS_API_KEY": "clavus-key"})
		r := g.query(`{ folders(filter: [{column: "nope", operator: "=", value: "x"}]) { totalCount } }`, nil)
		if got := strings.Join(r.codes(), ","); got != "UPSTREAM_REJECTED@clavus" || !strings.Contains(r.Errors[0].Message, "nope") {
			t.Fatalf("without a catalog: %v", r.Errors)
		}
		last := f.Received()[len(f.Received())-1]
		if last.OperationName != "GetFolders" || !strings.Contains(fmtAny(last.Variables["filterColumns"]), "nope") {
			t.Fatalf("Clavus was not asked with the name as given: %s %v", last.OperationName, last.Variables)
		}
	})
}

// TestClavusSchemaReadiness: /readyz's clavus-schema check fails, naming
// operation, argument, our type and Clavus's, while the live Clavus takes
// an argument in a type ours cannot be adapted to; a Clavus whose types
// differ only in adaptable ways (ids String, puissanceKc Int) is ready, as
// is one that refuses introspection.
func TestClavusSchemaReadiness(t *testing.T) {
	readyz := func(t *testing.T, g *testGateway) (int, bool, map[string]string) {
		t.Helper()
		resp, err := http.Get(g.url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Ready  bool              `json:"ready"`
			Checks map[string]string `json:"checks"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, body.Ready, body.Checks
	}
	for _, c := range []struct {
		name string
		opts clavusfake.Options
		want string // "" is ok
	}{
		{"documented", clavusfake.Options{}, ""},
		{"adaptable", clavusfake.Options{Typing: clavusfake.TypingStringInt}, ""},
		{"no introspection", clavusfake.Options{NoIntrospection: true}, ""},
		{"not adaptable", clavusfake.Options{ArgTypes: map[string]string{"getUsers.teamId": "Int"}},
			"GetUsers argument teamId: ours ID, Clavus's Int"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, env := clavusUpstreamWith(t, c.opts)
			g := startGateway(t, env)
			status, ready, checks := readyz(t, g)
			got := checks["clavus-schema"]
			if c.want == "" {
				if status != http.StatusOK || !ready || got != "ok" {
					t.Fatalf("readyz %d ready=%v checks %v, want ready", status, ready, checks)
				}
				return
			}
			if status != http.StatusServiceUnavailable || ready || !strings.Contains(got, c.want) {
				t.Fatalf("readyz %d ready=%v clavus-schema %q, want 503 naming %q", status, ready, got, c.want)
			}
			// The refused operation is an error naming the mismatch and is
			// never sent; the rest of the response is served.
			r := g.query(`{ teams { id users { id } } sources { name } }`, nil)
			if r.at("teams.0.id") == nil || r.at("sources.0.name") == nil || len(r.Errors) == 0 {
				t.Fatalf("teams and sources: %v %v", r.Errors, r.Data)
			}
			for _, e := range r.Errors {
				if e.Extensions["code"] != "UPSTREAM_REJECTED" || !strings.Contains(e.Message, c.want) {
					t.Fatalf("error %v, want UPSTREAM_REJECTED naming %q", e, c.want)
				}
			}
			if calls := clavusCalls(f); calls["GetUsers"]+calls["GetUsersOfTeams"] != 0 {
				t.Fatalf("refused operation sent: %v", calls)
			}
		})
	}
}

// TestClavusTeamsUsersWithoutAliases: a Clavus that refuses the aliased
// GetUsersOfTeams document is asked once per team, under both readings;
// the answer is the same.
func TestClavusTeamsUsersWithoutAliases(t *testing.T) {
	for _, rd := range clavusReadings {
		t.Run(rd.name, func(t *testing.T) {
			opts := rd.opts
			opts.NoAliases = true
			f, env := clavusUpstreamWith(t, opts)
			g := startGateway(t, env)
			r := g.query(`{ teams { id users { id firstName } } }`, nil)
			if len(r.Errors) != 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			teams, _ := r.at("teams").([]any)
			for i := range teams {
				if users, _ := r.at("teams." + strconv.Itoa(i) + ".users").([]any); len(users) == 0 {
					t.Fatalf("team %d has no users: %v", i, r.Data)
				}
			}
			calls := clavusCalls(f)
			if len(teams) < 2 || calls["GetTeams"] != 1 || calls["GetUsersOfTeams"] != 1 || calls["GetUsers"] != len(teams) {
				t.Fatalf("calls %v for %d teams, want 1 GetTeams, 1 refused GetUsersOfTeams and 1 GetUsers per team", calls, len(teams))
			}
		})
	}
}

// TestClavusTeamUsersServedStale: when Clavus fails, team users past their
// TTL (within the cache's grace) are served and the response says they are
// stale; past the grace the failure shows.
func TestClavusTeamUsersServedStale(t *testing.T) {
	f, env := clavusUpstream(t)
	g := startGateway(t, env)
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	c := cache.New(cache.NewMemory(100), cache.Options{
		Grace:   time.Hour,
		Now:     func() time.Time { return time.Unix(0, now.Load()) },
		OnStale: func(ctx context.Context, k cache.Key) { gateway.MarkStale(ctx, k.Source, k.Operation) },
	})
	client, err := clavus.New(clavus.Config{URL: env["CLAVUS_URL"], APIKey: env["CLAVUS_API_KEY"], Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	g.gw.Folders = folders.New(client, c, clavus.Columns{})
	g.rewire()

	q := `{ teams { id users { id } } }`
	fresh := g.query(q, nil)
	if len(fresh.Errors) != 0 || fresh.Extensions["stale"] != nil || fresh.at("teams.1.users.0.id") == nil {
		t.Fatalf("fresh: %v %v %v", fresh.Errors, fresh.Extensions, fresh.Data)
	}
	f.Knobs.SetDown(true)
	now.Add(int64(20 * time.Minute)) // past the TTL, within the grace
	r := g.query(q, nil)
	if len(r.Errors) != 0 || fmtAny(r.Data) != fmtAny(fresh.Data) {
		t.Fatalf("stale answer: %v %v, want %v", r.Errors, r.Data, fresh.Data)
	}
	stale, _ := r.Extensions["stale"].([]any)
	if len(stale) == 0 || !strings.Contains(fmtAny(stale), "users") || !strings.Contains(fmtAny(stale), "clavus") {
		t.Fatalf("extensions.stale = %v", r.Extensions)
	}
	now.Add(int64(2 * time.Hour)) // past the grace: the failure shows
	if r := g.query(q, nil); len(r.codes()) == 0 {
		t.Fatalf("after the grace: %v", r.Data)
	}
}

// TestClavusCallerLookupOneRequest: an uncached phone costs ONE request to
// Clavus, whatever the number of written forms searched (aliased
// getFolders), under both readings; a Clavus refusing aliases is asked once
// per form; a second lookup of the same phone is served from the cache.
func TestClavusCallerLookupOneRequest(t *testing.T) {
	type variant struct {
		name      string
		opts      clavusfake.Options
		noAliases bool
	}
	var variants []variant
	for _, rd := range clavusReadings {
		variants = append(variants, variant{rd.name, rd.opts, false})
		opts := rd.opts
		opts.NoAliases = true
		variants = append(variants, variant{rd.name + " without aliases", opts, true})
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			opts := v.opts
			opts.PhoneForms = true
			f, env := clavusUpstreamWith(t, opts)
			g := startGateway(t, env)
			lookup := func(fo clavusfake.Folder) {
				t.Helper()
				p, err := phone.Normalize(fo.Values[clavusfake.ColPhone])
				if err != nil {
					t.Fatal(err)
				}
				r := g.query(`query ($p: String!) { contact(phone: $p) { name } }`, map[string]any{"p": "+" + p})
				if len(r.Errors) != 0 || r.at("contact.name") != fo.Values[clavusfake.ColClient] {
					t.Fatalf("contact %v %v, want %s", r.Errors, r.Data, fo.Values[clavusfake.ColClient])
				}
			}
			lookup(f.Folders()[3]) // loads the column catalog
			before := clavusCalls(f)
			lookup(f.Folders()[7])
			after := clavusCalls(f)
			many, one := after["GetFoldersMany"]-before["GetFoldersMany"], after["GetFolders"]-before["GetFolders"]
			if total := len(f.Received()) - sum(before); v.noAliases {
				if many != 0 || one != 3 || total != 3 {
					t.Fatalf("without aliases: %d aliased, %d single requests of %d, want 3 single (the refusal is remembered)", many, one, total)
				}
			} else if many != 1 || total != 1 {
				t.Fatalf("%d aliased requests of %d, want ONE request", many, total)
			}
			n := len(f.Received())
			lookup(f.Folders()[7])
			if len(f.Received()) != n {
				t.Fatalf("cached lookup asked Clavus %d times", len(f.Received())-n)
			}
		})
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestCheckConfigClavusSchema: check-config says what it adapted to a
// Clavus typed otherwise, and fails naming operation, argument and types
// against one whose types cannot be adapted.
func TestCheckConfigClavusSchema(t *testing.T) {
	t.Setenv("SWITCHBOARD_SANDBOX", "1")
	t.Setenv("SWITCHBOARD_DATA_DIR", t.TempDir())
	for _, c := range []struct {
		name    string
		opts    clavusfake.Options
		fails   bool
		wantOut string
	}{
		{"adaptable", clavusfake.Options{Typing: clavusfake.TypingStringInt}, false,
			"adapted to the live schema: GetUsers argument teamId: declared ID, sent as String"},
		{"not adaptable", clavusfake.Options{ArgTypes: map[string]string{"getUsers.teamId": "Int"}}, true,
			"GetUsers argument teamId: ours ID, Clavus's Int"},
		{"introspection refused", clavusfake.Options{NoIntrospection: true}, false, "introspection refused"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, env := clavusUpstreamWith(t, c.opts)
			for k, v := range env {
				t.Setenv(k, v)
			}
			var out bytes.Buffer
			err := app.CheckConfig(t.Context(), &out, os.Getenv)
			if (err != nil) != c.fails || !strings.Contains(out.String(), c.wantOut) {
				t.Fatalf("err %v\n%s", err, out.String())
			}
		})
	}
}
