package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func BenchmarkConcurrentUploads(b *testing.B) {
	g := startBenchGateway(b, "SWITCHBOARD_MAX_UPLOADS", "16")
	ctype, body := uploadBody(`mutation ($f: Upload) { ping }`, 19<<20)
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	for b.Loop() {
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				req, _ := http.NewRequest("POST", g.url+"/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", ctype)
				req.Header.Set("Authorization", "Bearer "+g.key)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			})
		}
		wg.Wait()
	}
	close(stop)
	// The request bodies themselves (one shared 19 MiB slice) are the
	// client's, in the same process.
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}

// BenchmarkThroughputUnderHostileDocuments measures ordinary traffic alone,
// then beside 4 clients looping the audit's 220 KB document (the issue asks
// ≥ 80 %). It reports what the attackers got answered, by status, so a
// ratio near 1 cannot come from attackers that stopped.
func BenchmarkThroughputUnderHostileDocuments(b *testing.B) {
	g := startBenchGateway(b)
	ordinary := vegeta.NewStaticTargeter(g.target(`{ sources { name configured } }`, nil))
	hostile := g.target(("{" + strings.Repeat(" __typename", 20000) + " }"), nil)
	for b.Loop() {
		alone := attack(ordinary, 4, 2*time.Second)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var refused, answered atomic.Int64
		for range 4 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					req, _ := http.NewRequest(hostile.Method, hostile.URL, bytes.NewReader(hostile.Body))
					req.Header = hostile.Header
					if resp, err := http.DefaultClient.Do(req); err == nil {
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode == http.StatusTooManyRequests {
							refused.Add(1)
						} else {
							answered.Add(1)
						}
					}
				}
			})
		}
		attacked := attack(ordinary, 4, 2*time.Second)
		close(stop)
		wg.Wait()
		b.ReportMetric(alone.Throughput, "req/s-alone")
		b.ReportMetric(attacked.Throughput, "req/s-attacked")
		b.ReportMetric(attacked.Throughput/alone.Throughput, "ratio")
		b.ReportMetric(float64(answered.Load())/attacked.Duration.Seconds(), "hostile-answered/s")
		b.ReportMetric(float64(refused.Load())/attacked.Duration.Seconds(), "hostile-429/s")
	}
}

// uploadBody is a GraphQL multipart request of q with a file of fileSize
// bytes as $f.
func uploadBody(q string, fileSize int) (string, []byte) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"f": nil}})
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", "export.zip")
	_, _ = fw.Write(bytes.Repeat([]byte("x"), fileSize))
	_ = mw.Close()
	return mw.FormDataContentType(), body.Bytes()
}
