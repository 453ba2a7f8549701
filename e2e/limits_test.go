package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// adversarialDocument is n `__typename` selections: cheap to send, and
// quadratic to validate without the precheck.
func adversarialDocument(n int) string {
	return "{" + strings.Repeat(" __typename", n) + " }"
}

// Documents that would pin a CPU (a 1 MiB one past the token limit, or one
// under it that validation would take seconds over) are refused before
// validation, with a code, and quickly.
func TestHostileDocumentsRefusedBeforeValidation(t *testing.T) {
	g := startGateway(t, map[string]string{"SWITCHBOARD_RATE_LIMIT": "0"})
	names := make([]string, 101)
	for i := range names {
		names[i] = "sources { name }"
	}
	cases := []struct{ name, query, want string }{
		{"1 MiB of __typename", adversarialDocument((1<<20 - 100) / 11), "tokens"},
		{"7000 __typename under the token limit", adversarialDocument(7000), "selections"},
		{"one field 101 times", "{ " + strings.Join(names, " ") + " }", "101 times"},
		{"one fragment spread 2500 times", "{" + strings.Repeat(" ...F", 2500) + " } fragment F on Query { __typename }", "selections"},
	}
	for _, c := range cases {
		start := time.Now()
		r := g.query(c.query, nil)
		took := time.Since(start)
		if got := r.codes(); len(got) != 1 || got[0] != "QUERY_TOO_COMPLEX" || !strings.Contains(r.Errors[0].Message, c.want) {
			t.Errorf("%s: %v", c.name, r.Errors)
		}
		// Generous: the benchmark below measures; this only catches a
		// return of seconds-long validation.
		if took > 2*time.Second {
			t.Errorf("%s: refused after %v", c.name, took)
		}
	}
	if r := g.query(adversarialDocument(50), nil); len(r.Errors) != 0 {
		t.Errorf("50 __typename refused: %v", r.Errors)
	}
	small := startGateway(t, map[string]string{"SWITCHBOARD_MAX_TOKENS": "20"})
	if r := small.query("{ sources { name configured } }", nil); len(r.Errors) != 0 {
		t.Errorf("under SWITCHBOARD_MAX_TOKENS: %v", r.Errors)
	}
	if r := small.query(adversarialDocument(20), nil); len(r.codes()) != 1 || r.codes()[0] != "QUERY_TOO_COMPLEX" {
		t.Errorf("over SWITCHBOARD_MAX_TOKENS: %v", r.Errors)
	}
}

// With introspection off, a misspelt field gets no "Did you mean": that
// would list the schema piece by piece.
func TestNoSuggestionsWithoutIntrospection(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want bool
	}{{nil, true}, {map[string]string{"SWITCHBOARD_SANDBOX": ""}, false}} {
		g := startGateway(t, c.env)
		r := g.query("{ source { name } }", nil)
		if len(r.Errors) != 1 || strings.Contains(r.Errors[0].Message, "Did you mean") != c.want {
			t.Errorf("introspection %v: %v", c.want, r.Errors)
		}
	}
}

const uploadMutation = `mutation ($f: Upload!) { uploadCustomerInvoices(organizationId: "57525", file: $f) { success } }`

// multipartBody is a GraphQL multipart request of q with operations padded
// to opsSize bytes and a file of fileSize bytes as $f.
func multipartBody(q string, opsSize, fileSize int) (string, []byte) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{"query": q + strings.Repeat(" ", max(0, opsSize-len(q)-40)), "variables": map[string]any{"f": nil}})
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", "export.zip")
	_, _ = fw.Write(bytes.Repeat([]byte("x"), fileSize))
	_ = mw.Close()
	return mw.FormDataContentType(), body.Bytes()
}

// Uploads: the operations part obeys the document limit (it carried a
// 2 MB document); files go to temp files under SWITCHBOARD_DATA_DIR,
// removed once the request is answered.
func TestUploadsStreamedAndBounded(t *testing.T) {
	dir := t.TempDir()
	g := startGateway(t, map[string]string{"SWITCHBOARD_DATA_DIR": dir, "SWITCHBOARD_MAX_UPLOADS": "2"})
	ctype, body := multipartBody(uploadMutation, 2<<20, 10)
	resp, raw := g.post(g.key, ctype, string(body), nil)
	if r := decode(t, resp.StatusCode, raw); resp.StatusCode != 413 || strings.Join(r.codes(), ",") != "QUERY_TOO_COMPLEX" || !strings.Contains(r.Errors[0].Message, "operations part") {
		t.Errorf("2 MB operations: %d %s", resp.StatusCode, raw)
	}
	ctype, body = multipartBody(uploadMutation, 0, 1<<20)
	resp, raw = g.post(g.key, ctype, string(body), nil)
	// Not a zip: refused by the resolver after the transport stored it.
	if r := decode(t, resp.StatusCode, raw); strings.Join(r.codes(), ",") != "BAD_USER_INPUT" {
		t.Errorf("upload: %d %s", resp.StatusCode, raw)
	}
	left, _ := os.ReadDir(filepath.Join(dir, "uploads"))
	if len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}

// BenchmarkConcurrentUploads sends 16 concurrent 19 MiB uploads and reports
// the peak heap in use while the transport takes them in: files stream to
// disk, so it stays far below the 304 MiB the files weigh. The operation
// (ping, $f unused) is refused at validation, after the files are stored,
// so what a resolver does with a file is not measured here.
// BenchmarkThroughputUnderHostileDocuments measures ordinary traffic alone,
// then with 4 clients sending the 20 000-field document in a loop, and
// reports the ratio (the issue asks >= 0.8; 4 parallel 88 KB documents
// used to cut 1 133 req/s to 88).
