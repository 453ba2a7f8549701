package e2e

import (
	"testing"
	"time"
)

// TestDeadlineNamesSource: when the request's deadline passes while a field
// waits for an upstream (in the HTTP call, in a per-request loader, in a
// batch loader or behind another request's fetch of the same key), its
// error is UPSTREAM_TIMEOUT naming the source.
func TestDeadlineNamesSource(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for request deadlines")
	}
	g := startGateway(t, map[string]string{
		"SWITCHBOARD_REQUEST_TIMEOUT": "300ms", "SWITCHBOARD_RATE_LIMIT": "0",
		// No breaker opens: every field waits out the deadline.
		"SWITCHBOARD_BREAKER_FAILURES": "1000", "SWITCHBOARD_BREAKER_MIN_CALLS": "1000",
	})
	f := g.gw.Fakes
	for _, k := range []interface{ SetLatency(time.Duration) }{f.MMP.Knobs, f.Shop.Knobs, f.MseM.Knobs, f.Clavus.Knobs, f.PBX.Knobs} {
		k.SetLatency(2 * time.Second)
	}
	vars := map[string]any{"plate": f.MMP.Plates()[3], "key": "K", "code": "C"}
	for name, q := range rootQueries {
		r := g.query(q, vars)
		for _, e := range r.Errors {
			if e.Extensions["code"] == "UPSTREAM_TIMEOUT" && e.Extensions["source"] == nil {
				t.Errorf("%s: deadline error without a source at %v: %q", name, e.Path, e.Message)
			}
			if e.Extensions["code"] == "INTERNAL" {
				t.Errorf("%s: INTERNAL at %v: %q", name, e.Path, e.Message)
			}
		}
	}
	// Two fields waiting for the same vehicle (a per-request loader), and
	// two aliases of the same folder page (one fetch, the other waits); a
	// plate and a page not asked yet (the fetches above go on, and fill
	// the cache, after their request's deadline).
	vars["plate"] = f.MMP.Plates()[4]
	for _, q := range []string{
		`query ($plate: String!) { a: vehicle(plate: $plate) { invoices { id } } b: vehicle(plate: $plate) { invoices { id } customers { id } } }`,
		`{ a: folders(perPage: 7) { totalCount } b: folders(perPage: 7) { totalCount } }`,
	} {
		r := g.query(q, vars)
		if len(r.Errors) == 0 {
			t.Errorf("%s: no error past the deadline", q)
		}
		for _, e := range r.Errors {
			if e.Extensions["source"] == nil {
				t.Errorf("%s: %v %q without a source", q, e.Path, e.Message)
			}
		}
	}
}
