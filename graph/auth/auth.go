// Package auth authenticates client API keys and carries the caller's
// scopes through the request context. Keys come from a file of lines
//
//	<name> <secret or sha256:<hex of its SHA-256>> <scope>[,<scope>...] [expires=<date>]
//
// (`*` is every scope; the date is `2027-01-01`, meaning midnight UTC, or
// RFC 3339). `switchboard keys new` (NewKey) writes hashed lines, so the
// file holds no secret; lines with the secret in clear are still read.
// Only SHA-256 hashes are kept in memory, and a presented key is compared
// with every stored hash in constant time.
package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
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
	hash    [sha256.Size]byte
	p       *Principal
	expires time.Time // zero: never
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
	now := time.Now()
	k.mu.RLock()
	defer k.mu.RUnlock()
	var found *Principal
	for _, kk := range k.keys {
		if subtle.ConstantTimeCompare(h[:], kk.hash[:]) == 1 && (kk.expires.IsZero() || now.Before(kk.expires)) {
			found = kk.p
		}
	}
	return found, found != nil
}

// hashPrefix marks a keys-file secret given as the hex SHA-256 of the key.
const hashPrefix = "sha256:"

// NewKey makes a fresh random secret for a key named name holding scopes
// (comma-separated, `*` for every scope), valid until expires (zero:
// forever). It returns the secret, to hand over once, and the keys-file
// line, which holds only its hash.
func NewKey(name, scopes string, expires time.Time) (secret, line string, err error) {
	if name == "" || strings.ContainsAny(name, " \t\n#") {
		return "", "", fmt.Errorf("key name %q: want one word", name)
	}
	if _, err := parseScopes(scopes); err != nil {
		return "", "", err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	secret = "sb_" + base64.RawURLEncoding.EncodeToString(b[:])
	h := sha256.Sum256([]byte(secret))
	line = name + " " + hashPrefix + hex.EncodeToString(h[:]) + " " + scopes
	if !expires.IsZero() {
		line += " expires=" + expires.UTC().Format(time.RFC3339)
	}
	return secret, line, nil
}

// ParseExpiry reads an expiry as written in the keys file: a date
// (midnight UTC) or an RFC 3339 instant.
func ParseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expiry %q: want YYYY-MM-DD or RFC 3339", s)
	}
	return t, nil
}

func parseScopes(list string) (*Principal, error) {
	p := &Principal{scopes: map[string]bool{}}
	for _, s := range strings.Split(list, ",") {
		switch {
		case s == "*":
			p.all = true
		case s == "" || strings.ContainsAny(s, " \t\n"):
			return nil, fmt.Errorf("scopes %q: want scope[,scope...] or *", list)
		default:
			p.scopes[s] = true
		}
	}
	return p, nil
}

func parse(r io.Reader) ([]key, error) {
	var keys []key
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := parseLine(line)
		if err != nil {
			// The line itself is never quoted: it may hold a secret.
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		keys = append(keys, k)
	}
	return keys, sc.Err()
}

func parseLine(line string) (key, error) {
	f := strings.Fields(line)
	if len(f) != 3 && len(f) != 4 {
		return key{}, errors.New("want `<name> <secret or sha256:hex> <scopes> [expires=<date>]`")
	}
	p, err := parseScopes(f[2])
	if err != nil {
		return key{}, errors.New("scopes: want scope[,scope...] or *")
	}
	p.Name = f[0]
	k := key{p: p, hash: sha256.Sum256([]byte(f[1]))}
	if hexHash, ok := strings.CutPrefix(f[1], hashPrefix); ok {
		if b, err := hex.DecodeString(hexHash); err == nil && len(b) == sha256.Size {
			copy(k.hash[:], b)
		} else {
			return key{}, errors.New("sha256: wants 64 hex digits")
		}
	}
	if len(f) == 4 {
		v, ok := strings.CutPrefix(f[3], "expires=")
		if !ok {
			return key{}, errors.New("the fourth field must be expires=<date>")
		}
		if k.expires, err = ParseExpiry(v); err != nil {
			return key{}, err
		}
	}
	return k, nil
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
