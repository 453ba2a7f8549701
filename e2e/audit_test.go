package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

type auditResult struct{ ID, Name, Status, Reason string }

// runAudit runs the graphql-http server audits (the GraphQL over HTTP
// spec's conformance suite, tools/graphql-http-audit) against g.
func runAudit(t *testing.T, g *testGateway) []auditResult {
	t.Helper()
	if testing.Short() {
		t.Skip("audit")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	if _, err := os.Stat("../tools/graphql-http-audit/node_modules/graphql-http"); err != nil {
		t.Skip("run `npm ci --prefix tools/graphql-http-audit` first (.ci/run does)")
	}
	out, err := exec.CommandContext(t.Context(), node, "../tools/graphql-http-audit/audit.mjs", g.url+"/graphql", g.key).Output()
	if err != nil {
		t.Fatalf("audit: %v\n%s", err, out)
	}
	var results []auditResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var r auditResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit output %q: %v", sc.Text(), err)
		}
		results = append(results, r)
	}
	if len(results) == 0 {
		t.Fatalf("the audit ran nothing: %s", out)
	}
	return results
}

// With introspection on, every MUST and every SHOULD passes (strict); MAY
// results are logged.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	for _, r := range runAudit(t, startGateway(t, nil)) {
		switch {
		case r.Status == "ok":
		case strings.HasPrefix(r.Name, "MUST"), strings.HasPrefix(r.Name, "SHOULD"):
			t.Errorf("%s %s %s: %s", r.Status, r.ID, r.Name, r.Reason)
		default:
			t.Logf("%s (%s) %s: %s", r.Status, r.ID, r.Name, r.Reason)
		}
	}
}

// introspectionAudits are the audits whose request reads __type or
// __schema: with introspection off they meet a refusal on purpose.
var introspectionAudits = map[string]bool{"28B9": true}

// In production (introspection off) only the audits that need
// introspection may fail.
func TestGraphQLOverHTTPAuditWithoutIntrospection(t *testing.T) {
	for _, r := range runAudit(t, startGateway(t, map[string]string{"SWITCHBOARD_SANDBOX": ""})) {
		switch {
		case r.Status == "ok":
		case introspectionAudits[r.ID]:
			t.Logf("%s (%s, needs introspection) %s: %s", r.Status, r.ID, r.Name, r.Reason)
		case strings.HasPrefix(r.Name, "MUST"), strings.HasPrefix(r.Name, "SHOULD"):
			t.Errorf("%s %s %s: %s", r.Status, r.ID, r.Name, r.Reason)
		}
	}
}
