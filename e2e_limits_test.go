package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestQueryLimitsRefuseBeforeAnyUpstreamCall(t *testing.T) {
	f, env := mmpUpstream(t, nil)
	g := startGateway(t, env)
	aliases := make([]string, 31)
	for i := range aliases {
		aliases[i] = fmt.Sprintf("a%d: plate", i)
	}
	roots := make([]string, 16)
	for i := range roots {
		roots[i] = fmt.Sprintf(`v%d: vehicle(plate: "AB123CD") { plate }`, i)
	}
	deep := `{ vehicle(plate: "AB123CD") { customers { vehicles { customers { vehicles { customers { vehicles { customers { vehicles { customers { vehicles { plate } } } } } } } } } } } }`
	cases := []struct{ name, query, want string }{
		{"depth", deep, "levels deep"},
		{"aliases", `{ vehicle(plate: "AB123CD") { ` + strings.Join(aliases, " ") + ` } }`, "aliases"},
		{"root fields", `{ ` + strings.Join(roots, " ") + ` }`, "root fields"},
		{"complexity", `{ interfaces { prestations { prestation { associated { associated { associated { code } } } } } } }`, "budget"},
	}
	for _, c := range cases {
		r := g.query(c.query, nil)
		if got := r.codes(); len(got) != 1 || got[0] != "QUERY_TOO_COMPLEX" || !strings.Contains(r.Errors[0].Message, c.want) {
			t.Errorf("%s: %v", c.name, r.Errors)
		}
	}
	if n := f.Knobs.TotalCalls(); n != 0 {
		t.Fatalf("refused queries made %d upstream calls", n)
	}
	// GraphiQL's introspection query (15 levels deep) is not limited.
	if r := g.query(introspectionQuery, nil); len(r.Errors) != 0 || r.at("__schema.queryType.name") != "Query" {
		t.Fatalf("introspection refused: %v", r.Errors)
	}
	// An ordinary rich query fits the budget.
	if r := g.query(fullVehicleQuery, map[string]any{"plate": "AB123CD"}); len(r.Errors) != 0 {
		t.Fatalf("full vehicle query refused: %v", r.Errors)
	}
}

func TestValidationErrorsAreBadUserInput(t *testing.T) {
	g := startGateway(t, nil)
	for _, q := range []string{`{ nosuchfield }`, `{ sources { name }`, `mutation { ping(x: 1) }`} {
		r := g.query(q, nil)
		if got := r.codes(); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
			t.Errorf("%q: %v", q, r.Errors)
		}
	}
}

// introspectionQuery is the shape GraphiQL sends (abridged to the deep part).
const introspectionQuery = `query IntrospectionQuery { __schema { queryType { name } types { name fields(includeDeprecated: true) { name args { name type { ...TypeRef } } type { ...TypeRef } } } } }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`

// With SWITCHBOARD_MAX_BATCH set, a JSON array of requests runs each one, in
// order, and answers the array of their answers.
func TestBatchedOperations(t *testing.T) {
	g := startGateway(t, map[string]string{"SWITCHBOARD_MAX_BATCH": "3"})
	resp, body := g.post(g.key, "application/json", `[{"query":"{ sources { name } }"},{"query":"mutation { ping }"},{"query":"{ nope }"}]`, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var answers []gqlResponse
	if err := json.Unmarshal(body, &answers); err != nil || len(answers) != 3 {
		t.Fatalf("answers %s: %v", body, err)
	}
	if answers[0].at("sources.0.name") != "MMP" || answers[1].at("ping") != true || strings.Join(answers[2].codes(), ",") != "BAD_USER_INPUT" {
		t.Errorf("answers %s", body)
	}
	resp, body = g.post(g.key, "application/json", `[{"query":"{ sources { name } }"},{"query":"{ sources { name } }"},{"query":"{ sources { name } }"},{"query":"{ sources { name } }"}]`, nil)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "QUERY_TOO_COMPLEX") {
		t.Errorf("over the cap: %d %s", resp.StatusCode, body)
	}
}
