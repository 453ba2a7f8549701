// Package auth authenticates client API keys and carries the caller's
// scopes through the request context. Keys come from a file of lines
// `<name> <secret> <scope>[,<scope>...]` (`*` is every scope); only SHA-256
// hashes of the secrets are kept in memory, and a presented key is compared
// with every stored hash in constant time.
package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
)

// Principal is an authenticated client.
type Principal struct {
	Name   string
	scopes map[string]bool
	all    bool
}

// ScopeKey names the principal's scope set ("" without a principal): two
// principals with the same key see the same answers.
func (p *Principal) ScopeKey() string {
	switch {
	case p == nil:
		return ""
	case p.all:
		return "*"
	}
	scopes := make([]string, 0, len(p.scopes))
	for s := range p.scopes {
		scopes = append(scopes, s)
	}
	slices.Sort(scopes)
	return strings.Join(scopes, ",")
}

// Has reports whether the principal holds scope.
func (p *Principal) Has(scope string) bool { return p != nil && (p.all || p.scopes[scope]) }

type key struct {
	hash [sha256.Size]byte
	p    *Principal
}

// Keyring holds the valid keys; it is safe to Reload while serving.
type Keyring struct {
	path string
	mu   sync.RWMutex
	keys []key
}

// Load reads the keys file at path.
func Load(path string) (*Keyring, error) {
	k := &Keyring{path: path}
	return k, k.Reload()
}

// Reload re-reads the keys file (on SIGHUP). On error the old keys stay.
func (k *Keyring) Reload() error {
	if k.path == "" {
		return nil // an in-memory keyring (sandbox demo key) has no file
	}
	f, err := os.Open(k.path)
	if err != nil {
		return fmt.Errorf("api keys: %w", err)
	}
	defer f.Close()
	keys, err := parse(f)
	if err != nil {
		return fmt.Errorf("api keys %s: %w", k.path, err)
	}
	k.mu.Lock()
	k.keys = keys
	k.mu.Unlock()
	return nil
}

// Demo makes a keyring holding one fresh random key with every scope, for
// sandbox mode; it returns the secret so it can be printed.
func Demo() (*Keyring, string) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	secret := "sb_demo_" + hex.EncodeToString(b[:])
	return &Keyring{keys: []key{{hash: sha256.Sum256([]byte(secret)), p: &Principal{Name: "demo", all: true}}}}, secret
}

// Static builds a keyring from in-memory lines in the file format (tests).
func Static(lines string) (*Keyring, error) {
	keys, err := parse(strings.NewReader(lines))
	if err != nil {
		return nil, err
	}
	return &Keyring{keys: keys}, nil
}

// Authenticate returns the principal owning secret. Every stored hash is
// compared, so timing does not tell which key (or how much of one) matched.
func (k *Keyring) Authenticate(secret string) (*Principal, bool) {
	if secret == "" {
		return nil, false
	}
	h := sha256.Sum256([]byte(secret))
	k.mu.RLock()
	defer k.mu.RUnlock()
	var found *Principal
	for _, kk := range k.keys {
		if subtle.ConstantTimeCompare(h[:], kk.hash[:]) == 1 {
			found = kk.p
		}
	}
	return found, found != nil
}

func parse(r io.Reader) ([]key, error) {
	var keys []key
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want `<name> <secret> <scopes>`", n)
		}
		p := &Principal{Name: f[0], scopes: map[string]bool{}}
		for _, s := range strings.Split(f[2], ",") {
			if s == "*" {
				p.all = true
			} else if s != "" {
				p.scopes[s] = true
			}
		}
		keys = append(keys, key{hash: sha256.Sum256([]byte(f[1])), p: p})
	}
	return keys, sc.Err()
}

type ctxKey struct{}

// WithPrincipal attaches p to ctx.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the caller, nil when unauthenticated.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// BearerSecret extracts the secret of an `Authorization: Bearer <secret>` value.
func BearerSecret(header string) string {
	const prefix = "bearer "
	if len(header) > len(prefix) && strings.EqualFold(header[:len(prefix)], prefix) {
		return strings.TrimSpace(header[len(prefix):])
	}
	return ""
}
