package bench

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkUploadsEndToEnd sends 16 concurrent 19 MiB ZIPs through
// uploadCustomerInvoices, each under its own idempotency key, to the MMP
// fake: the transport stores each in a temp file, the key's fingerprint
// hashes it from there, and the MMP client streams it to the fake, which
// stores it too. Nothing holds a whole file in memory, so the process
// (clients, gateway and fake together) stays under 200 MB RSS (it went to
// 788 MB).
func BenchmarkUploadsEndToEnd(b *testing.B) {
	g := startBenchGateway(b, "SWITCHBOARD_MAX_UPLOADS", "16")
	g.gw.Fakes.MMP.Knobs.SetLatency(0)
	zipPath := writeZip(b, 19<<20)
	const q = `mutation ($f: Upload!, $k: String) { uploadCustomerInvoices(organizationId: "57525", file: $f, idempotencyKey: $k) { success } }`

	peakRSS, peakHeap := sampleMemory(b)
	var n atomic.Int64
	for b.Loop() {
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				key := fmt.Sprintf("bench-upload-%d", n.Add(1))
				ctype, body, length := streamedUpload(b, q, map[string]any{"f": nil, "k": key}, zipPath)
				req, _ := http.NewRequest("POST", g.url+"/graphql", body)
				req.ContentLength = length
				req.Header.Set("Content-Type", ctype)
				req.Header.Set("Authorization", "Bearer "+g.key)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				if !strings.Contains(string(raw), `"success":true`) {
					b.Errorf("upload: %d %s", resp.StatusCode, raw)
				}
			})
		}
		wg.Wait()
	}
	rss, heap := peakRSS(), peakHeap()
	b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
	accepted := 0
	for _, u := range g.gw.Fakes.MMP.Uploads() {
		if u.Accepted && u.Size > 18<<20 {
			accepted++
		}
	}
	if accepted != int(n.Load()) {
		b.Errorf("the fake accepted %d of %d uploads", accepted, n.Load())
	}
	if rss > 200e6 {
		b.Errorf("peak RSS %d MB; want under 200 MB", rss/1e6)
	}
}

// writeZip writes a valid ZIP of about size bytes (one stored entry of
// random bytes) to a temp file.
func writeZip(b *testing.B, size int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "export.zip")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "factures.csv", Method: zip.Store})
	if err == nil {
		_, err = io.CopyN(w, rand.Reader, int64(size-200))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// streamedUpload is a GraphQL multipart request whose file part is read
// from path while it is sent, with its exact length.
func streamedUpload(b *testing.B, q string, vars map[string]any, path string) (string, io.Reader, int64) {
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	ops, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0": ["variables.f"]}`)
	_, _ = mw.CreateFormFile("0", "export.zip")
	pre := bytes.Clone(head.Bytes())
	head.Reset()
	_ = mw.Close()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	body := io.MultiReader(bytes.NewReader(pre), &closeAtEOF{f}, bytes.NewReader(head.Bytes()))
	return mw.FormDataContentType(), body, int64(len(pre)) + st.Size() + int64(head.Len())
}

type closeAtEOF struct{ f *os.File }

func (c *closeAtEOF) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	if err == io.EOF {
		c.f.Close()
	}
	return n, err
}

// sampleMemory samples the process's RSS (from /proc) and Go heap in use
// every 5 ms until the benchmark ends; the functions return the peaks.
func sampleMemory(b *testing.B) (rss, heap func() uint64) {
	var peakRSS, peakHeap atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtimeMemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			if v := readRSS(); v > peakRSS.Load() {
				peakRSS.Store(v)
			}
			if v := m.heapInuse(); v > peakHeap.Load() {
				peakHeap.Store(v)
			}
		}
	}()
	end := sync.OnceFunc(func() { close(stop); <-done })
	b.Cleanup(end)
	return func() uint64 { end(); return peakRSS.Load() }, func() uint64 { end(); return peakHeap.Load() }
}

// readRSS is VmRSS from /proc/self/status, in bytes (0 where there is none).
func readRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

type runtimeMemStats struct{ m runtime.MemStats }

func (r *runtimeMemStats) heapInuse() uint64 {
	runtime.ReadMemStats(&r.m)
	return r.m.HeapInuse
}
