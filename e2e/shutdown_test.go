package e2e

import (
	"switchboard/app"

	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// served is one run of the serve command.
type served struct {
	base, key string
	stop      context.CancelFunc
	done      chan error
}

// serve runs the serve command in sandbox mode on dataDir and waits until
// it answers.
func serve(t *testing.T, dataDir string) *served {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	t.Setenv("SWITCHBOARD_SANDBOX", "1")
	t.Setenv("SWITCHBOARD_ADDR", addr)
	t.Setenv("SWITCHBOARD_DATA_DIR", dataDir)
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	s := &served{base: "http://" + addr, stop: cancel, done: make(chan error, 1)}
	go func() { s.done <- app.Serve(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), os.Getenv, nil) }()
	for i := 0; ; i++ {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		select {
		case err := <-s.done:
			t.Fatalf("serve stopped at start: %v", err)
		default:
		}
		if i > 400 {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The sandbox demo key is random; the GraphiQL page carries it.
	resp, err := http.Get(s.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	i := strings.Index(string(page), "sb_demo_")
	if i < 0 {
		t.Fatal("no demo key on the GraphiQL page")
	}
	s.key = string(page[i : i+len("sb_demo_")+32])
	return s
}

// TestGracefulShutdown stops the serve command (as SIGTERM does) with
// subscriptions open over SSE and WebSocket: both end at once with
// "complete", run returns well within the shutdown bound, new connections
// are refused, and a new process started on the same data directory while
// the first stops gets the call store (it waits for it, it does not fail).
func TestGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	s := serve(t, dir)

	req, _ := http.NewRequest("POST", s.base+"/graphql", strings.NewReader(`{"query":"subscription { callEvents { callId } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+s.key)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	sse := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(stream.Body)
		sse <- string(b)
	}()

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, strings.Replace(s.base, "http", "ws", 1)+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	for _, m := range []map[string]any{
		{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + s.key}},
		{"id": "1", "type": "subscribe", "payload": map[string]any{"query": "subscription { heartbeat(seconds: 60, count: 1000) }"}},
	} {
		b, _ := json.Marshal(m)
		if err := ws.Write(ctx, websocket.MessageText, b); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond) // both subscriptions registered

	stopped := time.Now()
	s.stop() // SIGTERM, as signal.NotifyContext delivers it
	next := serve(t, dir)

	for {
		_, b, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("WebSocket subscription cut without complete: %v", err)
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		if m["type"] == "complete" && m["id"] == "1" {
			break
		}
	}
	select {
	case rest := <-sse:
		if !strings.Contains(rest, "event: complete") {
			t.Fatalf("SSE subscription cut without complete: %q", rest)
		}
	case <-ctx.Done():
		t.Fatal("SSE subscription still open after shutdown")
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("run did not return after shutdown")
	}
	// The bound is 4 s; the slack is for a loaded machine.
	if took := time.Since(stopped); took > 8*time.Second {
		t.Errorf("shutdown took %v", took)
	}
	if _, err := http.Get(s.base + "/healthz"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}

	// The process started meanwhile has the call store.
	body := strings.NewReader("cmd=history&type=in&user=u1&phone=0612345678&callid=after-restart&duration=5&crm_token=sandbox-crm-token")
	resp, err := http.Post(next.base+"/integrations/gravitel", "application/x-www-form-urlencoded", body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the new process cannot store calls: %d", resp.StatusCode)
	}
	next.stop()
	if err := <-next.done; err != nil {
		t.Fatalf("second run: %v", err)
	}
}
