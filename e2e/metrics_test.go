package e2e

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sample is one series of a /metrics scrape.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// scrape reads /metrics in the text format (one series a line, label
// values without commas or quotes in what these tests look at).
func (g *testGateway) scrape() []sample {
	g.t.Helper()
	resp, err := http.Get(g.url + "/metrics")
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []sample
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		series, value, _ := strings.Cut(line, " ")
		s := sample{name: series, labels: map[string]string{}}
		if name, labels, ok := strings.Cut(series, "{"); ok {
			s.name = name
			for _, kv := range strings.Split(strings.TrimSuffix(labels, "}"), ",") {
				k, v, _ := strings.Cut(kv, "=")
				s.labels[k] = strings.Trim(v, `"`)
			}
		}
		s.value, _ = strconv.ParseFloat(value, 64)
		out = append(out, s)
	}
	return out
}

// metric sums the series of name whose labels include want.
func metric(samples []sample, name string, want map[string]string) (sum float64, found bool) {
next:
	for _, s := range samples {
		if s.name != name {
			continue
		}
		for k, v := range want {
			if s.labels[k] != v {
				continue next
			}
		}
		sum, found = sum+s.value, true
	}
	return sum, found
}

func TestMetricsAfterQueries(t *testing.T) {
	g := startGateway(t, nil)
	plate := g.gw.Fakes.MMP.Plates()[0]
	before := g.scrape()
	count := func(samples []sample, name string, labels map[string]string) float64 {
		v, _ := metric(samples, name, labels)
		return v
	}

	vehicle := `query MetricsVehicle($p: String!) { vehicle(plate: $p) { plate } }`
	for range 2 { // the second one is served from the cache
		if r := g.query(vehicle, map[string]any{"p": plate}); len(r.Errors) != 0 {
			t.Fatalf("vehicle: %v", r.Errors)
		}
	}
	if r := g.query(`{ sources { name } }`, nil); len(r.Errors) != 0 {
		t.Fatalf("sources: %v", r.Errors)
	}
	if r := g.query(`query MetricsBadPlate { vehicle(plate: "?") { plate } }`, nil); len(r.codes()) != 1 || r.codes()[0] != "BAD_USER_INPUT" {
		t.Fatalf("bad plate: %v", r.codes())
	}
	if r := g.query(`{ nosuchfield }`, nil); len(r.codes()) != 1 {
		t.Fatalf("invalid document: %v", r.codes())
	}

	// A subscription counts as active while it streams.
	req, _ := http.NewRequest("POST", g.url+"/graphql", strings.NewReader(`{"query":"subscription MetricsBeat { heartbeat(seconds: 1, count: 2) }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+g.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	events := bufio.NewReader(resp.Body)
	for {
		line, err := events.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended before its first event: %v", err)
		}
		if strings.HasPrefix(line, "event: next") {
			break
		}
	}
	subs := "switchboard_active_subscriptions"
	if during := count(g.scrape(), subs, nil); during < count(before, subs, nil)+1 {
		t.Errorf("%s = %v while streaming, was %v before", subs, during, count(before, subs, nil))
	}
	_, _ = io.Copy(io.Discard, events)
	resp.Body.Close()

	after := g.scrape()
	delta := func(name string, labels map[string]string) float64 {
		return count(after, name, labels) - count(before, name, labels)
	}
	hist := "switchboard_graphql_operation_duration_seconds_count"
	if d := delta(hist, map[string]string{"operation": "MetricsVehicle", "type": "query"}); d != 2 {
		t.Errorf("MetricsVehicle timed %v times, want 2", d)
	}
	if d := delta(hist, map[string]string{"operation": "anonymous", "type": "query"}); d < 1 {
		t.Errorf("anonymous query not timed")
	}
	if _, ok := metric(after, "switchboard_graphql_operation_duration_seconds_bucket", map[string]string{"operation": "MetricsVehicle", "le": "+Inf"}); !ok {
		t.Error("no histogram buckets for MetricsVehicle")
	}
	errors := "switchboard_graphql_errors_total"
	if d := delta(errors, map[string]string{"operation": "MetricsBadPlate", "code": "BAD_USER_INPUT"}); d != 1 {
		t.Errorf("MetricsBadPlate BAD_USER_INPUT counted %v times, want 1", d)
	}
	if d := delta(errors, map[string]string{"operation": "invalid", "code": "BAD_USER_INPUT"}); d != 1 {
		t.Errorf("invalid document counted %v times, want 1", d)
	}
	cache := "switchboard_cache_requests_total"
	if d := delta(cache, map[string]string{"source": "mmp", "result": "hit"}); d < 1 {
		t.Errorf("second vehicle query: no mmp cache hit counted")
	}
	if d := delta(cache, map[string]string{"source": "mmp", "result": "miss"}); d < 1 {
		t.Errorf("first vehicle query: no mmp cache miss counted")
	}
	if d := delta(subs, nil); d != 0 {
		t.Errorf("%s moved by %v after the stream ended, want back to 0", subs, d)
	}
	if _, ok := metric(after, "switchboard_upstream_breaker_state", map[string]string{"source": "mmp"}); !ok {
		t.Error("no breaker state series for mmp after calling it")
	}
}

func TestReadyzListsOpenBreakersAndStaysReady(t *testing.T) {
	g := startGateway(t, nil)
	g.gw.Fakes.Shop.Knobs.SetDown(true)
	for i := 0; ; i++ {
		r := g.query(`query MetricsShop { interfaces { key } }`, nil)
		if len(r.Errors) > 0 && strings.Contains(r.Errors[0].Message, "circuit open") {
			break
		}
		if i == 20 {
			t.Fatalf("shop breaker never opened: %v", r.Errors)
		}
	}

	resp, err := http.Get(g.url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	var ready struct {
		Ready    bool              `json:"ready"`
		Breakers map[string]string `json:"breakers"`
	}
	err = json.NewDecoder(resp.Body).Decode(&ready)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !ready.Ready {
		t.Fatalf("an upstream outage made the replica unready: %d %+v", resp.StatusCode, ready)
	}
	var open []string
	for name, state := range ready.Breakers {
		if strings.HasPrefix(name, "shop/") && state == "open" {
			open = append(open, name)
		}
	}
	if len(open) == 0 {
		t.Fatalf("readyz breakers = %v, want an open shop breaker", ready.Breakers)
	}
	samples := g.scrape()
	for _, name := range open {
		op := strings.TrimPrefix(name, "shop/")
		if v, ok := metric(samples, "switchboard_upstream_breaker_state", map[string]string{"source": "shop", "operation": op}); !ok || v != 2 {
			t.Errorf("breaker gauge for %s = %v (present %v), want 2", name, v, ok)
		}
	}
	if v, _ := metric(samples, "switchboard_graphql_errors_total", map[string]string{"operation": "MetricsShop", "code": "UPSTREAM_UNAVAILABLE"}); v < 1 {
		t.Errorf("shop outage not counted as UPSTREAM_UNAVAILABLE for MetricsShop")
	}
}

// TestMetricsDashboardNamesRealSeries catches a dashboard query with a
// misspelt or renamed metric: every switchboard_ series it reads must show
// up in a scrape after ordinary traffic, except those that need a fault (or
// another feature's traffic) to exist at all.
func TestMetricsDashboardNamesRealSeries(t *testing.T) {
	raw, err := os.ReadFile("../deploy/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			ID      int    `json:"id"`
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard is not JSON: %v", err)
	}
	faultOnly := map[string]bool{
		"switchboard_upstream_retries_total":         true,
		"switchboard_upstream_token_refreshes_total": true,
		"switchboard_cache_errors_total":             true,
		"switchboard_rate_limited_total":             true,
	}
	g := startGateway(t, nil)
	g.query(`query ($p: String!) { vehicle(plate: $p) { plate } }`, map[string]any{"p": g.gw.Fakes.MMP.Plates()[0]})
	g.query(`{ vehicle(plate: "?") { plate } }`, nil)
	exported := map[string]bool{}
	for _, s := range g.scrape() {
		exported[s.name] = true
	}
	ids := map[int]bool{}
	names := regexp.MustCompile(`switchboard_[a-z0-9_]+`)
	for _, p := range dash.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d used twice", p.ID)
		}
		ids[p.ID] = true
		for _, target := range p.Targets {
			for _, name := range names.FindAllString(target.Expr, -1) {
				if !exported[name] && !faultOnly[name] {
					t.Errorf("panel %q reads %s, which the gateway does not export", p.Title, name)
				}
			}
		}
	}
}
