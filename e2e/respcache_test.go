package e2e

import (
	"os"
	"strings"
	"testing"
)

// The response cache answers a repeated query without running it, keeps
// answers apart by scopes, never keeps an answer with errors or the call
// log, and forgets everything after a mutation.
func TestResponseCache(t *testing.T) {
	f, env := clavusUpstream(t)
	keys := t.TempDir() + "/keys"
	if err := os.WriteFile(keys, []byte("all k-all *\nnarrow k-narrow vehicles:read\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env["SWITCHBOARD_API_KEYS_FILE"] = keys
	env["SWITCHBOARD_RESPONSE_CACHE_TTL"] = "1m"
	g := startGateway(t, env)
	page := `{ folders(perPage: 5) { totalCount results { id } } }`

	first := g.queryAs("k-all", page, nil)
	if len(first.Errors) != 0 {
		t.Fatal(first.Errors)
	}
	f.Knobs.SetDown(true) // a kept answer needs no upstream, nor the source cache
	if again := g.queryAs("k-all", page, nil); len(again.Errors) != 0 || again.at("folders.results.0.id") != first.at("folders.results.0.id") {
		t.Fatalf("repeated query not served from the response cache: %v %v", again.Errors, again.Data)
	}
	// Another scope set does not see that answer: no clavus:read here.
	if r := g.queryAs("k-narrow", page, nil); strings.Join(r.codes(), ",") != "FORBIDDEN" {
		t.Fatalf("narrow key: %v", r.Errors)
	}
	// A failing answer is not kept: once Clavus is back it is asked again.
	teams := `{ teams { id } }`
	if r := g.queryAs("k-all", teams, nil); len(r.Errors) == 0 {
		t.Fatal("teams answered while Clavus is down")
	}
	f.Knobs.SetDown(false)
	if r := g.queryAs("k-all", teams, nil); len(r.Errors) != 0 {
		t.Fatalf("an error answer was kept: %v", r.Errors)
	}

	// An answer is kept by its coerced variables: a default is filled in.
	byVar := `query Page($n: Int = 3, $s: String) { folders(perPage: $n, search: $s) { totalCount results { id } } }`
	kept := g.queryAs("k-all", byVar, map[string]any{"n": 3})
	f.Knobs.SetDown(true)
	for _, vars := range []map[string]any{{"n": 3}, nil, {"n": 3, "s": nil}} {
		if r := g.queryAs("k-all", byVar, vars); len(r.Errors) != 0 || r.at("folders.results.2.id") != kept.at("folders.results.2.id") {
			t.Fatalf("variables %v not served from the response cache: %v %v", vars, r.Errors, r.Data)
		}
	}
	if r := g.queryAs("k-all", byVar, map[string]any{"n": 4}); len(r.Errors) == 0 {
		t.Fatal("other variables served another answer")
	}
	f.Knobs.SetDown(false)

	// A mutation drops every kept answer.
	before := clavusCalls(f)["GetFolders"]
	if r := g.queryAs("k-all", `mutation { upsertProspect(input: {lastName: "Martin"}) { id } }`, nil); len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	g.queryAs("k-all", page, nil)
	if n := clavusCalls(f)["GetFolders"]; n != before+1 {
		t.Errorf("GetFolders %d after a mutation, want %d: the kept answer survived it", n, before+1)
	}

	// The call log is never kept: the PBX writes it without a mutation.
	calls := `{ calls(user: "user9") { totalCount } }`
	g.queryAs("k-all", calls, nil)
	if st, _ := g.webhook(form("cmd", "history", "crm_token", sandboxCRMToken, "type", "in", "user", "user9", "phone", "0612345678", "callid", "rc-1", "duration", "3")); st != 200 {
		t.Fatalf("history: %d", st)
	}
	if r := g.queryAs("k-all", calls, nil); r.at("calls.totalCount") != float64(1) {
		t.Fatalf("calls after a history: %v %v", r.Errors, r.Data)
	}
}
