package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"switchboard/app"
)

func TestCheckConfig(t *testing.T) {
	t.Setenv("SWITCHBOARD_SANDBOX", "1")
	t.Setenv("SWITCHBOARD_DATA_DIR", t.TempDir())
	var out bytes.Buffer
	if err := app.CheckConfig(t.Context(), &out, os.Getenv); err != nil {
		t.Fatalf("sandbox: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "mmp       ok (sandbox fake)") {
		t.Fatalf("report:\n%s", out.String())
	}

	// A real MMP whose token endpoint is unreachable fails the check.
	for k, v := range map[string]string{"MMP_BASE_URL": "http://127.0.0.1:1", "MMP_API_VERSION": "v1", "MMP_NETWORK": "n",
		"MMP_CLIENT_ID": "id", "MMP_CLIENT_SECRET": "never-printed", "MMP_USERNAME": "u", "MMP_PASSWORD": "never-printed-either"} {
		t.Setenv(k, v)
	}
	out.Reset()
	err := app.CheckConfig(t.Context(), &out, os.Getenv)
	if err == nil || !strings.Contains(out.String(), "mmp       FAILED") || strings.Contains(out.String(), "never-printed") {
		t.Fatalf("unreachable MMP: err %v\n%s", err, out.String())
	}

	// A half-configured source is a configuration error; every one is
	// reported.
	t.Setenv("SHOP_BASE_URL", "http://127.0.0.1:1")
	t.Setenv("CLAVUS_API_KEY", "never-printed-key")
	if err := app.CheckConfig(t.Context(), &out, os.Getenv); err == nil || !strings.Contains(err.Error(), "SHOP_CLIENT_ID") ||
		!strings.Contains(err.Error(), "CLAVUS_URL") || strings.Contains(err.Error(), "never-printed") {
		t.Fatalf("partial shop and clavus config: %v", err)
	}
}

// A typo is an error, not a gateway started by default.
func TestUnknownCommandIsAnError(t *testing.T) {
	err := newCLI(slog.New(slog.NewTextHandler(io.Discard, nil))).Run(t.Context(), []string{"switchboard", "chek-config"})
	if err == nil || !strings.Contains(err.Error(), `unknown command "chek-config"`) {
		t.Fatalf("err %v", err)
	}
}

// A port already in use fails the start before "listening" is logged (and
// "up" printed); the configuration errors are clear, never a panic.
func TestServeStartErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	t.Setenv("SWITCHBOARD_SANDBOX", "1")
	t.Setenv("SWITCHBOARD_DATA_DIR", t.TempDir())
	t.Setenv("SWITCHBOARD_ADDR", ln.Addr().String())
	var logs syncBuffer
	err = run(t.Context(), slog.New(slog.NewTextHandler(&logs, nil)), os.Getenv)
	if err == nil || !strings.Contains(err.Error(), "listen") || strings.Contains(logs.String(), "switchboard listening") {
		t.Fatalf("port in use: err %v, logs %s", err, logs.String())
	}

	t.Setenv("SWITCHBOARD_ADDR", "28938")
	if err := run(t.Context(), slog.New(slog.NewTextHandler(io.Discard, nil)), os.Getenv); err == nil || !strings.Contains(err.Error(), ":28938") {
		t.Fatalf("bare port: %v", err)
	}
}

// With SWITCHBOARD_METRICS_ADDR, /metrics is served there and not on the
// main address.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	addr, metricsAddr := free(), free()
	t.Setenv("SWITCHBOARD_SANDBOX", "1")
	t.Setenv("SWITCHBOARD_DATA_DIR", t.TempDir())
	t.Setenv("SWITCHBOARD_ADDR", addr)
	t.Setenv("SWITCHBOARD_METRICS_ADDR", metricsAddr)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), os.Getenv) }()
	defer func() { cancel(); <-done }()
	status := func(url string) int {
		for range 100 {
			resp, err := http.Get(url)
			if err == nil {
				resp.Body.Close()
				return resp.StatusCode
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("%s never answered", url)
		return 0
	}
	if st := status("http://" + metricsAddr + "/metrics"); st != 200 {
		t.Errorf("metrics address: %d", st)
	}
	if st := status("http://" + addr + "/metrics"); st != 404 {
		t.Errorf("main address /metrics: %d, want 404", st)
	}
}

// issueKey runs `switchboard keys new` and returns the printed secret and line.
func issueKey(t *testing.T, name, scopes, expires string) (secret, line string) {
	t.Helper()
	var out bytes.Buffer
	if err := newKey(&out, name, scopes, expires); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for l := range strings.Lines(out.String()) {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	if len(lines) != 2 {
		t.Fatalf("keys new printed:\n%s", out.String())
	}
	return lines[0], lines[1]
}

// TestKeysNew: the secret `keys new` prints authenticates with the line it
// prints appended to the keys file, which then holds no secret; an expired
// key is refused; deleting a line and sending SIGHUP revokes the key.
func TestKeysNew(t *testing.T) {
	secret, line := issueKey(t, "acme", "vehicles:read", "")
	expiredSecret, expiredLine := issueKey(t, "gone", "*", "2001-01-01")
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte(line+"\n"+expiredLine+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if file, _ := os.ReadFile(path); bytes.Contains(file, []byte(secret)) || bytes.Contains(file, []byte(expiredSecret)) {
		t.Fatal("the keys file holds a secret")
	}
	g := startKeyed(t, path)

	if status, body := g.queryAs(secret, `{ vehicle(plate: "AB-123-CD") { plate } sources { name } }`); status != http.StatusOK || !strings.Contains(body, `"plate":"AB123CD"`) {
		t.Fatalf("new key: status %d body %s", status, body)
	}
	if _, body := g.queryAs(secret, `{ interfaces { key } }`); !strings.Contains(body, `"code":"FORBIDDEN"`) {
		t.Errorf("a scope the key lacks: %s", body)
	}
	if status, _ := g.queryAs(expiredSecret, `{ sources { name } }`); status != http.StatusUnauthorized {
		t.Errorf("expired key: status %d, want 401", status)
	}

	// Revocation: the line is deleted, SIGHUP reloads the file. The test
	// listens for SIGHUP itself first, so the signal never kills the process
	// before the reloader has registered.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go reloadKeysOnHUP(t.Context(), g.gw, slog.New(slog.NewTextHandler(io.Discard, nil)))
	newSecret, newLine := issueKey(t, "acme2", "*", "2999-01-01")
	if err := os.WriteFile(path, []byte(newLine+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for status, _ := g.queryAs(newSecret, `{ sources { name } }`); status != http.StatusOK; status, _ = g.queryAs(newSecret, `{ sources { name } }`) {
		if time.Now().After(deadline) {
			t.Fatal("SIGHUP did not reload the keys file")
		}
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status, _ := g.queryAs(secret, `{ sources { name } }`); status != http.StatusUnauthorized {
		t.Errorf("revoked key: status %d, want 401", status)
	}
}

// keyed is a sandbox gateway reading its API keys from a file.
type keyed struct {
	t   *testing.T
	url string
	gw  *app.App
}

func startKeyed(t *testing.T, keysFile string) *keyed {
	t.Helper()
	env := map[string]string{"SWITCHBOARD_SANDBOX": "1", "SWITCHBOARD_DATA_DIR": t.TempDir(), "SWITCHBOARD_API_KEYS_FILE": keysFile}
	cfg, err := app.ParseConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	gw, err := app.New(t.Context(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(func() { srv.Close(); gw.Close() })
	return &keyed{t: t, url: srv.URL, gw: gw}
}

// queryAs POSTs q with key, returning the status and the body.
func (g *keyed) queryAs(key, q string) (int, string) {
	g.t.Helper()
	body, _ := json.Marshal(map[string]string{"query": q})
	req, _ := http.NewRequest(http.MethodPost, g.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// syncBuffer collects log lines from concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// --config (or SWITCHBOARD_CONFIG) reads a YAML file of variables before
// either command, under the environment; a bad file stops the command
// naming the key, never a value.
func TestConfigFile(t *testing.T) {
	defer slog.SetDefault(slog.Default())
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sandbox := write("sandbox.yaml", "SWITCHBOARD_SANDBOX: true\nSWITCHBOARD_LOG_FORMAT: text\nSWITCHBOARD_DATA_DIR: "+filepath.Join(dir, "data")+"\n")
	typo := write("typo.yaml", "SWITCHBOARD_SANDBOX: true\nMMP_PASWORD: never-printed\n")
	for _, c := range []struct {
		name    string
		args    []string
		env     map[string]string // "-" unsets
		wantErr string            // "" for success
	}{
		{"no file, not sandbox", []string{"check-config"}, nil, "SWITCHBOARD_API_KEYS_FILE is required"},
		{"flag before the command", []string{"--config", sandbox, "check-config"}, nil, ""},
		{"flag after the command", []string{"check-config", "--config", sandbox}, nil, ""},
		{"from SWITCHBOARD_CONFIG", []string{"check-config"}, map[string]string{"SWITCHBOARD_CONFIG": sandbox}, ""},
		{"the environment wins", []string{"--config", sandbox, "check-config"}, map[string]string{"SWITCHBOARD_SANDBOX": "0"}, "SWITCHBOARD_API_KEYS_FILE is required"},
		{"unknown key", []string{"--config", typo, "check-config"}, nil, `line 2: unknown key "MMP_PASWORD"`},
		{"missing file", []string{"--config", filepath.Join(dir, "absent.yaml"), "serve"}, nil, "absent.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("SWITCHBOARD_SANDBOX", "")
			os.Unsetenv("SWITCHBOARD_SANDBOX")
			t.Setenv("SWITCHBOARD_API_KEYS_FILE", "")
			os.Unsetenv("SWITCHBOARD_API_KEYS_FILE")
			t.Setenv("SWITCHBOARD_DATA_DIR", filepath.Join(dir, "data"))
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			err := newCLI(slog.New(slog.NewTextHandler(io.Discard, nil))).Run(t.Context(), append([]string{"switchboard"}, c.args...))
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("err %v, want %q", err, c.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "never-printed") {
				t.Fatalf("a value in the error: %v", err)
			}
		})
	}
}
