package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

// TestGraphQLOverHTTPAudit runs the graphql-http server audits (the GraphQL
// over HTTP spec's conformance suite, tools/graphql-http-audit) against the
// gateway: every MUST passes. SHOULD and MAY results are logged.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("audit")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	if _, err := os.Stat("tools/graphql-http-audit/node_modules/graphql-http"); err != nil {
		t.Skip("run `npm ci --prefix tools/graphql-http-audit` first (.ci/run does)")
	}
	g := startGateway(t, nil)
	out, err := exec.CommandContext(t.Context(), node, "tools/graphql-http-audit/audit.mjs", g.url+"/graphql", g.key).Output()
	if err != nil {
		t.Fatalf("audit: %v\n%s", err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	n := 0
	for sc.Scan() {
		var r struct{ ID, Name, Status, Reason string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit output %q: %v", sc.Text(), err)
		}
		n++
		switch {
		case r.Status == "ok":
		case len(r.Name) > 4 && r.Name[:4] == "MUST":
			t.Errorf("%s %s: %s", r.ID, r.Name, r.Reason)
		default:
			t.Logf("%s (%s) %s: %s", r.Status, r.ID, r.Name, r.Reason)
		}
	}
	if n == 0 {
		t.Fatalf("the audit ran nothing: %s", out)
	}
}
