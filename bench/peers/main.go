// Command peers measures our gateway side by side with Tailcall over the
// same upstream fakes (`make bench-peers`, which installs Tailcall and
// builds the binaries first; see run.sh). It starts the fakes process, our
// gateway twice (response micro-cache off and on) and Tailcall, counts the
// upstream calls of each one's first (cold) W1 and W2, then runs W1–W3 at
// a fixed number of connections against each gateway in turn, round after
// round, and writes the same-round throughput ratios, their median and
// each gateway's peak RSS to a Markdown file.
//
// Everything listens on loopback; the load is bounded by time per run.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The workloads of issue 18.
var workloads = []struct{ name, query string }{
	{"W1", `{ interfaces { key prestations { code } } }`},
	{"W2", `{ vehicle(plate: "AB123CD") { plate vin customers { lastName mobile } invoices { date amount } forecasts { label lastJobDate } } }`},
	{"W3", `{ __typename }`},
}

// Fixed loopback ports: tailcall.graphql names the fakes' and its own.
const (
	mmpAddr     = "127.0.0.1:18101"
	shopAddr    = "127.0.0.1:18102"
	controlAddr = "127.0.0.1:18103"
	tailcallURL = "http://127.0.0.1:18201/graphql"
	apiKey      = "bench-peers-key-0123456789abcdef"
)

type target struct {
	name, url, key string
	cmd            *exec.Cmd
}

func main() {
	dir := flag.String("dir", "bench/peers", "directory of tailcall.graphql and node_modules")
	bin := flag.String("bin", "", "directory holding the built switchboard and fakes binaries")
	out := flag.String("out", "bench/peers.md", "report to write")
	rounds := flag.Int("rounds", 3, "interleaved rounds")
	dur := flag.Duration("duration", 10*time.Second, "length of one run")
	conns := flag.Int("conns", 50, "concurrent connections")
	flag.Parse()
	if *bin == "" {
		log.Fatal("-bin is required")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tmp, err := os.MkdirTemp("", "bench-peers-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	var procs []*exec.Cmd
	stop := func() {
		for _, c := range procs {
			_ = c.Process.Signal(os.Interrupt)
			_ = c.Wait()
		}
	}
	defer stop()
	// fail stops what runs (log.Fatal skips the deferred stop).
	fail := func(format string, args ...any) {
		stop()
		log.Fatalf(format, args...)
	}
	start := func(name string, cmd *exec.Cmd) *exec.Cmd {
		logf, err := os.Create(filepath.Join(tmp, name+".log"))
		if err != nil {
			fail("%v", err)
		}
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			fail("%s: %v", name, err)
		}
		procs = append(procs, cmd)
		return cmd
	}

	start("fakes", exec.CommandContext(ctx, filepath.Join(*bin, "fakes"), "-mmp", mmpAddr, "-shop", shopAddr, "-control", controlAddr))
	keys := filepath.Join(tmp, "keys")
	if err := os.WriteFile(keys, []byte("bench "+apiKey+" *\n"), 0o600); err != nil {
		fail("%v", err)
	}
	gateway := func(name, addr, responseCacheTTL string) target {
		cmd := exec.CommandContext(ctx, filepath.Join(*bin, "switchboard"), "serve")
		cmd.Env = append(os.Environ(), "SWITCHBOARD_ADDR="+addr, "SWITCHBOARD_API_KEYS_FILE="+keys,
			"SWITCHBOARD_DATA_DIR="+filepath.Join(tmp, name), "SWITCHBOARD_RATE_LIMIT=0", "REDIS_URL=",
			"SWITCHBOARD_RESPONSE_CACHE_TTL="+responseCacheTTL, "SWITCHBOARD_LOG_LEVEL=warn", "GOGC=400", "GOMEMLIMIT=100MiB",
			"MMP_BASE_URL=http://"+mmpAddr, "MMP_API_VERSION=v1", "MMP_NETWORK=bench",
			"MMP_CLIENT_ID=bench", "MMP_CLIENT_SECRET=bench-secret", "MMP_USERNAME=bench@switchboard.local", "MMP_PASSWORD=bench-password",
			"SHOP_BASE_URL=http://"+shopAddr, "SHOP_CLIENT_ID=bench", "SHOP_CLIENT_SECRET=bench-secret")
		return target{name: name, url: "http://" + addr + "/graphql", key: apiKey, cmd: start(name, cmd)}
	}
	tc := exec.CommandContext(ctx, filepath.Join(*dir, "node_modules", ".bin", "tailcall"), "start", filepath.Join(*dir, "tailcall.graphql"))
	tc.Env = append(os.Environ(), "TAILCALL_LOG_LEVEL=error", "TC_LOG_LEVEL=error", "TAILCALL_TRACKER=false", "TC_TRACKER=false")
	targets := []target{
		{name: "Tailcall 1.0.0 (@cache)", url: tailcallURL, cmd: start("tailcall", tc)},
		gateway("Switchboard, micro-cache off", "127.0.0.1:18211", "0"),
		gateway("Switchboard, micro-cache on (5 s, as shipped)", "127.0.0.1:18212", "5s"),
	}
	for i := 0; ; i++ {
		if _, err := upstreamCalls(); err == nil {
			break
		} else if i == 100 {
			fail("the fakes did not start: %v (logs in %s)", err, tmp)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, t := range targets {
		if err := waitUp(t); err != nil {
			fail("%s did not start: %v (logs in %s)", t.name, err, tmp)
		}
	}

	// Cold calls: each gateway's first W1 and W2, one gateway at a time.
	cold := map[string][2]int{}
	for _, t := range targets {
		var n [2]int
		for i, w := range workloads[:2] {
			before, err := upstreamCalls()
			if err != nil {
				fail("fakes: %v", err)
			}
			if body, err := post(t, w.query); err != nil {
				fail("%s %s: %v", t.name, w.name, err)
			} else if bytes.Contains(body, []byte(`"errors"`)) {
				fail("%s %s answered errors: %.300s", t.name, w.name, body)
			}
			after, err := upstreamCalls()
			if err != nil {
				fail("fakes: %v", err)
			}
			n[i] = after - before
		}
		cold[t.name] = n
	}

	// rps[workload][round][target]
	rps := make([][][]float64, len(workloads))
	for wi := range workloads {
		rps[wi] = make([][]float64, *rounds)
	}
	for r := range *rounds {
		for wi, w := range workloads {
			for _, t := range targets {
				res := load(t, w.query, *conns, *dur)
				if res.bad > 0 {
					fail("%s %s round %d: %d bad answers of %d (%s)", t.name, w.name, r+1, res.bad, res.n, res.firstBad)
				}
				log.Printf("round %d %s %-45s %8.0f req/s  p50 %v p99 %v", r+1, w.name, t.name, res.rps, res.p50, res.p99)
				rps[wi][r] = append(rps[wi][r], res.rps)
			}
		}
	}
	peaks := make([]float64, len(targets))
	for i, t := range targets {
		peaks[i] = peakRSSMB(t.cmd.Process.Pid)
	}
	report := render(targets, cold, rps, peaks, *rounds, *dur, *conns)
	if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
		fail("%v", err)
	}
	fmt.Print(report)
}

func waitUp(t target) error {
	var err error
	for range 100 {
		if _, err = post(t, `{ __typename }`); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

var client = &http.Client{Timeout: 30 * time.Second}

func request(t target, body []byte) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, t.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if t.key != "" {
		req.Header.Set("Authorization", "Bearer "+t.key)
	}
	return req
}

func post(t target, query string) ([]byte, error) {
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := client.Do(request(t, body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d: %.300s", resp.StatusCode, b)
	}
	return b, err
}

// upstreamCalls asks the fakes process how many calls it has served.
func upstreamCalls() (int, error) {
	resp, err := http.Get("http://" + controlAddr + "/calls")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var n map[string]int
	err = json.NewDecoder(resp.Body).Decode(&n)
	return n["mmp"] + n["shop"], err
}

type result struct {
	n, bad   int
	rps      float64
	p50, p99 time.Duration
	firstBad string
}

// load runs conns closed loops, each on its own keep-alive connection,
// for d, and checks every answer is a 200 without errors.
func load(t target, query string, conns int, d time.Duration) result {
	body, _ := json.Marshal(map[string]string{"query": query})
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var (
		mu       sync.Mutex
		lat      []time.Duration
		bad      atomic.Int64
		firstBad atomic.Value
		wg       sync.WaitGroup
	)
	begin := time.Now()
	deadline := begin.Add(d)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			buf := make([]byte, 0, 16<<10)
			for time.Now().Before(deadline) {
				s := time.Now()
				resp, err := c.Do(request(t, body))
				if err == nil {
					buf, err = readAll(resp.Body, buf[:0])
					resp.Body.Close()
					if err == nil && (resp.StatusCode != http.StatusOK || bytes.Contains(buf, []byte(`"errors"`))) {
						err = fmt.Errorf("status %d: %.200s", resp.StatusCode, buf)
					}
				}
				if err != nil {
					bad.Add(1)
					firstBad.CompareAndSwap(nil, err.Error())
					continue
				}
				mine = append(mine, time.Since(s))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	slices.Sort(lat)
	res := result{n: len(lat) + int(bad.Load()), bad: int(bad.Load()), rps: float64(len(lat)) / elapsed.Seconds()}
	if fb, ok := firstBad.Load().(string); ok {
		res.firstBad = fb
	}
	if len(lat) > 0 {
		res.p50, res.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return res
}

func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// peakRSSMB reads VmHWM, a process's peak resident set.
func peakRSSMB(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(v), "%f", &kb)
			return kb / 1024
		}
	}
	return -1
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.SortFunc(s, cmp.Compare)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func render(targets []target, cold map[string][2]int, rps [][][]float64, peaks []float64, rounds int, d time.Duration, conns int) string {
	host, _ := os.Hostname()
	var sb strings.Builder
	fmt.Fprintf(&sb, "# Switchboard and Tailcall side by side\n\nMeasured by `make bench-peers` on %s (%s, %d cores, %s). "+
		"The MMP and Shop fakes run as their own process and answer after 20 ms; %d connections, %s per run, %d interleaved rounds "+
		"(each round runs every workload on every gateway in turn). Caches are warm during the runs: no run makes an upstream call "+
		"except when a cache lifetime ends. Switchboard runs with the Go runtime settings of its Docker image (GOGC=400, "+
		"GOMEMLIMIT=100MiB). A ratio is Switchboard ÷ Tailcall throughput within one round.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), host, runtime.NumCPU(), runtime.Version(), conns, d, rounds)
	for wi, w := range workloads {
		fmt.Fprintf(&sb, "## %s `%s`\n\n| round |", w.name, w.query)
		for _, t := range targets {
			fmt.Fprintf(&sb, " %s req/s |", t.name)
		}
		for _, t := range targets[1:] {
			fmt.Fprintf(&sb, " ratio, %s |", strings.TrimPrefix(t.name, "Switchboard, "))
		}
		sb.WriteString("\n|" + strings.Repeat(" --- |", 2*len(targets)) + "\n")
		ratios := make([][]float64, len(targets))
		for r := range rounds {
			fmt.Fprintf(&sb, "| %d |", r+1)
			for _, v := range rps[wi][r] {
				fmt.Fprintf(&sb, " %.0f |", v)
			}
			for i := 1; i < len(targets); i++ {
				ratio := rps[wi][r][i] / rps[wi][r][0]
				ratios[i] = append(ratios[i], ratio)
				fmt.Fprintf(&sb, " %.2f× |", ratio)
			}
			sb.WriteString("\n")
		}
		sb.WriteString("| **median** |" + strings.Repeat(" |", len(targets)))
		for i := 1; i < len(targets); i++ {
			fmt.Fprintf(&sb, " **%.2f×** |", median(ratios[i]))
		}
		sb.WriteString("\n\n")
	}
	sb.WriteString("## Cold upstream calls and memory\n\n| gateway | cold W1 calls | cold W2 calls | peak RSS |\n| --- | --- | --- | --- |\n")
	for i, t := range targets {
		c := cold[t.name]
		fmt.Fprintf(&sb, "| %s | %d | %d | %.0f MB |\n", t.name, c[0], c[1], peaks[i])
	}
	sb.WriteString(`
Cold calls include the token each gateway fetches on its first call to a source. Switchboard's
W1 asks Shop for each distinct code's detail (an interface may hold several copies of one
prestation, and only the detail route lists every copy); Tailcall is configured, as the other
peers were, to answer the code list as it comes. Tailcall's configuration is
bench/peers/tailcall.graphql: both token flows run inside Tailcall (a @call whose first step is
the cached token), and two small JavaScript response filters (bench/peers/tailcall.js) turn
Shop's lists of strings into objects; their results are cached with the field. A step after a
token sees only the token, so Tailcall's vehicle is {plate} and its fields are lifted
(@addField) from the vision360 call made under it; Tailcall resolves that call once per lifted
field (4 cache lookups per warm W2, 8 calls cold: dedupe does not merge them).
`)
	return sb.String()
}
