package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

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
	g := startGateway(t, map[string]string{"SWITCHBOARD_API_KEYS_FILE": path})

	r := g.queryAs(secret, `{ vehicle(plate: "AB-123-CD") { plate } sources { name } }`, nil)
	if r.Status != http.StatusOK || r.at("vehicle.plate") != "AB123CD" {
		t.Fatalf("new key: status %d codes %v data %v", r.Status, r.codes(), r.Data)
	}
	if r := g.queryAs(secret, `{ interfaces { key } }`, nil); len(r.codes()) == 0 || r.codes()[0] != "FORBIDDEN" {
		t.Errorf("a scope the key lacks: codes %v", r.codes())
	}
	if r := g.queryAs(expiredSecret, `{ sources { name } }`, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("expired key: status %d, want 401", r.Status)
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
	for g.queryAs(newSecret, `{ sources { name } }`, nil).Status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("SIGHUP did not reload the keys file")
		}
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r := g.queryAs(secret, `{ sources { name } }`, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("revoked key: status %d, want 401", r.Status)
	}
}
