package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	clavusfake "switchboard/sources/clavus/fake"
)

func TestCheckConfig(t *testing.T) {
	t.Setenv("SWITCHBOARD_SANDBOX", "1")
	t.Setenv("SWITCHBOARD_DATA_DIR", t.TempDir())
	var out bytes.Buffer
	if err := checkConfig(t.Context(), &out, os.Getenv); err != nil {
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
	err := checkConfig(t.Context(), &out, os.Getenv)
	if err == nil || !strings.Contains(out.String(), "mmp       FAILED") || strings.Contains(out.String(), "never-printed") {
		t.Fatalf("unreachable MMP: err %v\n%s", err, out.String())
	}

	// A half-configured source is a configuration error; every one is
	// reported.
	t.Setenv("SHOP_BASE_URL", "http://127.0.0.1:1")
	t.Setenv("CLAVUS_API_KEY", "never-printed-key")
	if err := checkConfig(t.Context(), &out, os.Getenv); err == nil || !strings.Contains(err.Error(), "SHOP_CLIENT_ID") ||
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

// TestCheckConfigClavusSchema: check-config says what it adapted to a
// Clavus typed otherwise, and fails naming operation, argument and types
// against one whose types cannot be adapted.
func TestCheckConfigClavusSchema(t *testing.T) {
	t.Setenv("SWITCHBOARD_SANDBOX", "1")
	t.Setenv("SWITCHBOARD_DATA_DIR", t.TempDir())
	for _, c := range []struct {
		name    string
		opts    clavusfake.Options
		fails   bool
		wantOut string
	}{
		{"adaptable", clavusfake.Options{Typing: clavusfake.TypingStringInt}, false,
			"adapted to the live schema: GetUsers argument teamId: declared ID, sent as String"},
		{"not adaptable", clavusfake.Options{ArgTypes: map[string]string{"getUsers.teamId": "Int"}}, true,
			"GetUsers argument teamId: ours ID, Clavus's Int"},
		{"introspection refused", clavusfake.Options{NoIntrospection: true}, false, "introspection refused"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, env := clavusUpstreamWith(t, c.opts)
			for k, v := range env {
				t.Setenv(k, v)
			}
			var out bytes.Buffer
			err := checkConfig(t.Context(), &out, os.Getenv)
			if (err != nil) != c.fails || !strings.Contains(out.String(), c.wantOut) {
				t.Fatalf("err %v\n%s", err, out.String())
			}
		})
	}
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
