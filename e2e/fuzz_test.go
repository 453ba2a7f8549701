package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"switchboard/app"
	"switchboard/graph/errs"
)

var designCodes = []string{errs.BadUserInput, errs.Unauthenticated, errs.Forbidden, errs.NotFound, errs.NotConfigured,
	errs.RateLimited, errs.UpstreamTimeout, errs.UpstreamUnavailable, errs.UpstreamRejected,
	errs.UpstreamInvalidResponse, errs.QueryTooComplex, errs.Internal}

// FuzzGraphQLHandler throws arbitrary POST bodies at /graphql of a sandbox
// gateway: the answer is always a GraphQL JSON body whose errors carry a
// code from DESIGN.md, and nothing panics, not even a recovered panic.
// Seeds live in testdata/fuzz/FuzzGraphQLHandler.
func FuzzGraphQLHandler(f *testing.F) {
	h, key, logs := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		checkAnswer(t, h, req, logs)
	})
}

// FuzzUploadHandler throws arbitrary multipart bodies (boundary X) at
// /graphql: the upload transport parses outside input too. Seeds live in
// testdata/fuzz/FuzzUploadHandler.
func FuzzUploadHandler(f *testing.F) {
	h, key, logs := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=X")
		req.Header.Set("Authorization", "Bearer "+key)
		checkAnswer(t, h, req, logs)
	})
}

// fuzzGateway is a sandbox gateway's handler, its demo key and its logs.
func fuzzGateway(f *testing.F) (http.Handler, string, *syncBuffer) {
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	dir := f.TempDir()
	cfg, err := app.ParseConfig(func(k string) string {
		return map[string]string{"SWITCHBOARD_SANDBOX": "1", "SWITCHBOARD_DATA_DIR": dir, "SWITCHBOARD_RATE_LIMIT": "0"}[k]
	})
	if err != nil {
		f.Fatal(err)
	}
	gw, err := app.New(f.Context(), cfg, log)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(gw.Close)
	return gw.Handler(), gw.DemoKey, logs
}

// checkAnswer serves req: the answer is always a GraphQL JSON body whose
// errors carry a code from DESIGN.md, never a 5xx, and nothing panics.
func checkAnswer(t *testing.T, h http.Handler, req *http.Request, logs *syncBuffer) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	raw, _ := io.ReadAll(rec.Body)
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || (out.Data == nil && len(out.Errors) == 0) {
		t.Fatalf("status %d, not a GraphQL JSON body: %q", rec.Code, raw)
	}
	for _, e := range out.Errors {
		if !slices.Contains(designCodes, e.Extensions.Code) {
			t.Errorf("status %d, code %q is not one of DESIGN.md's: %s", rec.Code, e.Extensions.Code, raw)
		}
	}
	if rec.Code >= http.StatusInternalServerError {
		t.Errorf("status %d: %s", rec.Code, raw)
	}
	if strings.Contains(logs.String(), "panic") {
		t.Fatalf("a panic was recovered: %s", logs.String())
	}
}
