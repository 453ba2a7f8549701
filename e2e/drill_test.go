package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startRedis runs a private redis-server on a free port, so the drill can
// stop it without touching the shared one.
func startRedis(t *testing.T) (url string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return startRedisOn(t, port)
}

// startRedisOn runs a private redis-server on port (a restart after stop).
func startRedisOn(t *testing.T, port int) (url string, stop func()) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() { once.Do(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }) }
	t.Cleanup(stop)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return fmt.Sprintf("redis://127.0.0.1:%d/0", port), stop
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("redis-server did not start")
	return "", nil
}

func TestFaultDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("fault drill")
	}
	goroutinesBefore := runtime.NumGoroutine()
	redisURL, stopRedis := startRedis(t)
	func() {
		// A short cool-down: the drill waits for the Shop breaker to close.
		g := startGateway(t, map[string]string{"REDIS_URL": redisURL, "SWITCHBOARD_BREAKER_COOLDOWN": "2s", "SWITCHBOARD_RATE_LIMIT": "0"})
		f := g.gw.Fakes
		f.MMP.Knobs.SetErrorRate(0.01)
		f.Shop.Knobs.SetDown(true)
		f.MseM.Knobs.SetLatency(2 * time.Second)

		plates := f.MMP.Plates()
		queries := []string{
			`query ($p: String!) { vehicle(plate: $p) { plate forecasts { label } } interfaces { key } sources { name } }`,
			`mutation { pushCustomerToMsem(customer: {id: "42", lastName: "Durand", firstName: "Léa", email: "lea@durand.fr"}) { channel } }`,
		}
		deadline := time.Now().Add(12 * time.Second)
		var wg sync.WaitGroup
		var mu sync.Mutex
		stats := map[string]int{}
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; time.Now().Before(deadline); i += 4 {
					q := queries[0]
					if i%20 == 0 {
						q = queries[1]
					}
					r := g.query(q, map[string]any{"p": plates[i%200]})
					mu.Lock()
					stats["requests"]++
					if r.Status >= 500 {
						stats["5xx"]++
					}
					for _, c := range r.codes() {
						stats[c]++
					}
					if q == queries[0] {
						if r.at("sources.0.name") != "MMP" {
							stats["healthy field missing"]++
						}
						if r.at("vehicle.plate") == nil && !strings.Contains(strings.Join(r.codes(), ","), "@mmp") {
							stats["vehicle missing without an mmp error"]++
						}
					}
					mu.Unlock()
				}
			}()
		}
		time.Sleep(6 * time.Second)
		stopRedis() // halfway: the cache and the bus lose Redis
		wg.Wait()
		t.Logf("drill: %v", stats)
		if stats["5xx"] != 0 || stats["healthy field missing"] != 0 || stats["vehicle missing without an mmp error"] != 0 {
			t.Fatalf("drill failed: %v", stats)
		}
		if stats["UPSTREAM_UNAVAILABLE@shop"] == 0 {
			t.Fatalf("shop being down never surfaced as UPSTREAM_UNAVAILABLE@shop: %v", stats)
		}
		// The shop breaker is open (fail fast); once Shop is back it closes.
		r := g.query(`{ interfaces { key } }`, nil)
		if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "circuit open") {
			t.Fatalf("breaker not open while Shop is down: %v", r.Errors)
		}
		f.Shop.Knobs.SetDown(false)
		closeBy := time.Now().Add(20 * time.Second)
		for {
			r := g.query(`{ interfaces { key } }`, nil)
			if len(r.Errors) == 0 {
				break
			}
			if time.Now().After(closeBy) {
				t.Fatalf("breaker never closed after Shop recovered: %v", r.Errors)
			}
			time.Sleep(500 * time.Millisecond)
		}
		g.close()
	}()
	// No goroutine leak once the gateway is closed.
	http.DefaultClient.CloseIdleConnections()
	leakBy := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > goroutinesBefore+5 {
		if time.Now().After(leakBy) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("goroutines: %d before, %d after\n%s", goroutinesBefore, runtime.NumGoroutine(), buf[:n])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sseQuery POSTs a query asking for an event stream and returns the body.
func (g *testGateway) sseQuery(q string, vars map[string]any) string {
	g.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	resp, raw := g.post(g.key, "application/json", string(body), map[string]string{"Accept": "text/event-stream"})
	if resp.StatusCode != 200 {
		g.t.Fatalf("SSE: %d %s", resp.StatusCode, raw)
	}
	return string(raw)
}

// Every request has a deadline: an SSE query included (it had none), and
// each source's attempt is bounded by its own timeout; the error names the
// source either way.
func TestDeadlines(t *testing.T) {
	const q = `query ($p: String!) { vehicle(plate: $p) { plate vin } }`
	cases := []struct {
		name string
		env  map[string]string
		sse  bool
	}{
		{"SSE query, request deadline", map[string]string{"SWITCHBOARD_REQUEST_TIMEOUT": "400ms", "SWITCHBOARD_UPSTREAM_TIMEOUT": "30s"}, true},
		{"POST query, request deadline", map[string]string{"SWITCHBOARD_REQUEST_TIMEOUT": "400ms", "SWITCHBOARD_UPSTREAM_TIMEOUT": "30s"}, false},
		{"per-source timeout", map[string]string{"SWITCHBOARD_REQUEST_TIMEOUT": "30s", "MMP_TIMEOUT": "200ms"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := startGateway(t, c.env)
			plate := g.gw.Fakes.MMP.Plates()[0]
			g.gw.Fakes.MMP.Knobs.SetLatency(10 * time.Second)
			start := time.Now()
			var codes string
			if c.sse {
				out := g.sseQuery(q, map[string]any{"p": plate})
				if !strings.Contains(out, "event: next") {
					t.Fatalf("stream: %s", out)
				}
				if strings.Contains(out, `"code":"UPSTREAM_TIMEOUT"`) && strings.Contains(out, `"source":"mmp"`) {
					codes = "UPSTREAM_TIMEOUT@mmp"
				}
			} else {
				codes = strings.Join(g.query(q, map[string]any{"p": plate}).codes(), ",")
			}
			// Generous: the latency is 10 s; a missing deadline waits it out.
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("answered after %v", took)
			}
			if codes != "UPSTREAM_TIMEOUT@mmp" {
				t.Errorf("codes %q, want UPSTREAM_TIMEOUT@mmp", codes)
			}
			g.gw.Fakes.MMP.Knobs.SetLatency(0)
		})
	}
}

// The fault drill with Redis down: the replica stays ready (200) and says
// it is degraded; the call log answers UPSTREAM_UNAVAILABLE naming the
// store while the other fields are served; the PBX webhook answers 503, so
// the PBX resends, and once Redis is back the resent event is stored:
// nothing is lost.
func TestRedisOutageDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("fault drill")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	redisURL, stop := startRedisOn(t, port)
	g := startGateway(t, map[string]string{"REDIS_URL": redisURL})
	readyz := func() (int, map[string]any) {
		resp, err := http.Get(g.url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	event := form("cmd", "event", "crm_token", sandboxCRMToken, "type", "INCOMING", "phone", "0612345678", "user", "drill", "callid", "outage-1")
	const q = `{ calls(user: "drill") { totalCount nodes { id } } sources { name } }`

	stop()
	if code, body := readyz(); code != 200 || body["ready"] != true || body["degraded"] != true {
		t.Errorf("readyz with Redis down: %d %v", code, body)
	}
	r := g.query(q, nil)
	if strings.Join(r.codes(), ",") != "UPSTREAM_UNAVAILABLE@store" || r.at("sources.0.name") != "MMP" || r.Status != 200 {
		t.Errorf("calls with Redis down: %d %v %v", r.Status, r.Errors, r.Data)
	}
	if st, body := g.webhook(event); st != http.StatusServiceUnavailable {
		t.Errorf("webhook with Redis down: %d %s, want 503", st, body)
	}

	startRedisOn(t, port)
	backBy := time.Now().Add(15 * time.Second)
	for {
		// The PBX resends until it gets a 200.
		if st, _ := g.webhook(event); st == 200 {
			break
		}
		if time.Now().After(backBy) {
			t.Fatal("webhook still failing after Redis came back")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if code, body := readyz(); code != 200 || body["degraded"] != false {
		t.Errorf("readyz after Redis came back: %d %v", code, body)
	}
	if r := g.query(q, nil); len(r.Errors) != 0 || r.at("calls.nodes.0.id") != "outage-1" {
		t.Errorf("calls after Redis came back: %v %v", r.Errors, r.Data)
	}
}

// Gateways sharing a Redis under different SWITCHBOARD_REDIS_PREFIX share
// nothing, and every key of one starts with its prefix (the rate limiter's
// library puts its fixed "rate:" first).
func TestRedisPrefixSeparatesGateways(t *testing.T) {
	redisURL, _ := startRedis(t)
	a := startGateway(t, map[string]string{"REDIS_URL": redisURL, "SWITCHBOARD_REDIS_PREFIX": "sandbox-a:"})
	b := startGateway(t, map[string]string{"REDIS_URL": redisURL, "SWITCHBOARD_REDIS_PREFIX": "sandbox-b:"})
	if st, _ := a.webhook(form("cmd", "event", "crm_token", sandboxCRMToken, "type", "INCOMING", "phone", "0612345678", "user", "pfx", "callid", "prefixed-1")); st != 200 {
		t.Fatalf("event: %d", st)
	}
	const q = `{ calls(user: "pfx") { totalCount } }`
	if r := a.query(q, nil); r.at("calls.totalCount") != float64(1) {
		t.Errorf("gateway a: %v %v", r.Errors, r.Data)
	}
	if r := b.query(q, nil); r.at("calls.totalCount") != float64(0) {
		t.Errorf("gateway b sees a's call: %v %v", r.Errors, r.Data)
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	keys, err := rdb.Keys(t.Context(), "*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys %v, %v", keys, err)
	}
	for _, k := range keys {
		k = strings.TrimPrefix(k, "rate:")
		if !strings.HasPrefix(k, "sandbox-a:") && !strings.HasPrefix(k, "sandbox-b:") {
			t.Errorf("key %q has neither prefix", k)
		}
	}
}
