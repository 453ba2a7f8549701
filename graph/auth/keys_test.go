package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNewKeyRoundTrip: the secret NewKey prints authenticates through the
// line it prints, which holds only the hash; an old clear-text line in the
// same file still works.
func TestNewKeyRoundTrip(t *testing.T) {
	secret, line, err := NewKey("acme", "vehicles:read,calls:read", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(line, secret) || !strings.HasPrefix(line, "acme sha256:") || !strings.HasSuffix(line, " vehicles:read,calls:read") {
		t.Fatalf("line %q", line)
	}
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte("legacy l3gacy shop:read\n"+line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := k.Authenticate(secret)
	if !ok || p.Name != "acme" || !p.Has("calls:read") || p.Has("shop:read") {
		t.Fatalf("new key: %v %+v", ok, p)
	}
	if p, ok := k.Authenticate("l3gacy"); !ok || p.Name != "legacy" {
		t.Fatal("a clear-text line stopped working")
	}
	// The hash itself is no key.
	if _, ok := k.Authenticate(strings.Fields(line)[1]); ok {
		t.Fatal("the stored hash authenticates")
	}
	other, _, _ := NewKey("acme", "*", time.Time{})
	if other == secret {
		t.Fatal("two keys share a secret")
	}
}

func TestKeyExpiry(t *testing.T) {
	past, err := ParseExpiry("2001-01-01")
	if err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(24 * time.Hour)
	oldSecret, oldLine, _ := NewKey("old", "*", past)
	newSecret, newLine, _ := NewKey("new", "*", future)
	if !strings.HasSuffix(oldLine, " expires=2001-01-01T00:00:00Z") {
		t.Fatalf("line %q", oldLine)
	}
	k, err := Static(oldLine + "\n" + newLine + "\nplain pl41n * expires=2000-06-30\n")
	if err != nil {
		t.Fatal(err)
	}
	for secret, want := range map[string]bool{oldSecret: false, newSecret: true, "pl41n": false} {
		if _, ok := k.Authenticate(secret); ok != want {
			t.Errorf("%s: ok=%v, want %v", secret[:5], ok, want)
		}
	}
}

func TestKeysFileErrors(t *testing.T) {
	cases := []struct{ file, want string }{
		{"acme s3cret", "line 1: want"},
		{"# c\nacme sha256:abc *", "line 2: sha256: wants 64 hex digits"},
		{"acme s3cret * 2027-01-01", "expires=<date>"},
		{"acme s3cret * expires=tomorrow", "want YYYY-MM-DD"},
		{"acme s3cret read,,write", "scopes"},
	}
	for _, c := range cases {
		_, err := Static(c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%q: %v, want an error with %q and no secret", c.file, err, c.want)
		}
	}
	for _, bad := range [][2]string{{"", "*"}, {"two words", "*"}, {"acme", ""}, {"acme", "a b"}} {
		if _, _, err := NewKey(bad[0], bad[1], time.Time{}); err == nil {
			t.Errorf("NewKey(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

// FuzzKeysFile: no keys file makes the parser panic, and an error never
// quotes the file.
func FuzzKeysFile(f *testing.F) {
	for _, seed := range []string{
		"acme s3cret vehicles:read\n",
		"# comment\n\nops sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 * expires=2027-01-01\n",
		"x y z expires=2027-01-01T10:00:00+02:00\n",
		"a b ,\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, file string) {
		_, err := Static(file)
		if err != nil && len(file) > 12 && strings.Contains(err.Error(), file) {
			t.Fatalf("error %q quotes the file", err)
		}
	})
}
