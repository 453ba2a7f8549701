package auth

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestKeyring(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte("# partners\nacme s3cret vehicles:read,calls:read\nops root *\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		secret, scope string
		ok, has       bool
	}{
		{"s3cret", "vehicles:read", true, true},
		{"s3cret", "shop:write", true, false},
		{"root", "shop:write", true, true},
		{"wrong", "vehicles:read", false, false},
		{"", "vehicles:read", false, false},
	}
	for _, c := range cases {
		p, ok := k.Authenticate(c.secret)
		if ok != c.ok || p.Has(c.scope) != c.has {
			t.Errorf("%q/%s: ok=%v has=%v, want %v %v", c.secret, c.scope, ok, p.Has(c.scope), c.ok, c.has)
		}
	}
	// Reload picks up a rotated key; a broken file keeps the old keys.
	if err := os.WriteFile(path, []byte("acme n3w vehicles:read\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, ok := k.Authenticate("s3cret"); ok {
		t.Error("old key still valid after reload")
	}
	if err := os.WriteFile(path, []byte("broken line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k.Reload(); err == nil {
		t.Error("broken file accepted")
	}
	if _, ok := k.Authenticate("n3w"); !ok {
		t.Error("a failed reload dropped the valid keys")
	}
}

func TestScopeDirective(t *testing.T) {
	k, secret := Demo()
	p, ok := k.Authenticate(secret)
	if !ok {
		t.Fatal("demo key refused")
	}
	next := func(context.Context) (any, error) { return "data", nil }
	dir := ScopeDirective
	if v, err := dir(WithPrincipal(context.Background(), p), nil, next, "shop:write"); err != nil || v != "data" {
		t.Fatalf("demo key: %v %v", v, err)
	}
	if _, err := dir(context.Background(), nil, next, "shop:write"); err == nil {
		t.Fatal("anonymous caller passed a scope check")
	}
	if got := BearerSecret("bearer abc "); got != "abc" {
		t.Errorf("BearerSecret = %q", got)
	}
}
