package fakekit

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Tokens are the access tokens a fake has handed out, each with its
// expiry. Only the bookkeeping is shared: each fake makes its tokens and
// writes its token endpoint's JSON and refusals as its seed shows. Safe
// for concurrent use; the zero value is ready.
type Tokens struct {
	mu     sync.Mutex
	expiry map[string]time.Time // zero: never expires
}

// TokenState is what Check found.
type TokenState int

// Token states.
const (
	TokenValid   TokenState = iota
	TokenMissing            // no token was presented
	TokenUnknown            // never issued, or forgotten by Expire
	TokenExpired            // issued, but its time is over (then forgotten)
)

// Issue records tok, accepted until expiry (never, when expiry is zero).
func (t *Tokens) Issue(tok string, expiry time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.expiry == nil {
		t.expiry = map[string]time.Time{}
	}
	t.expiry[tok] = expiry
}

// Check tells whether tok is accepted at now.
func (t *Tokens) Check(tok string, now time.Time) TokenState {
	if tok == "" {
		return TokenMissing
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	exp, ok := t.expiry[tok]
	switch {
	case !ok:
		return TokenUnknown
	case !exp.IsZero() && !now.Before(exp):
		delete(t.expiry, tok)
		return TokenExpired
	}
	return TokenValid
}

// Valid reports whether tok is accepted at now.
func (t *Tokens) Valid(tok string, now time.Time) bool { return t.Check(tok, now) == TokenValid }

// Expire forgets every token issued so far: each is refused from now on.
func (t *Tokens) Expire() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.expiry)
}

// Bearer is the token of r's "Authorization: Bearer …" header, "" when
// there is none. The scheme is case-insensitive (RFC 7235).
func Bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return ""
	}
	return strings.TrimSpace(h[7:])
}
