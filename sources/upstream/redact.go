package upstream

import (
	"net/url"
	"strings"
	"sync"
)

// redacted replaces a secret in error text.
const redacted = "[REDACTED]"

// recentTokens is how many issued access tokens are remembered: enough for
// every source's current and previous token, bounded so that years of
// refreshes do not pile up.
const recentTokens = 16

// secrets are the values no error text may carry: the credentials of every
// source's configuration and the access tokens lately sent. An upstream may
// echo what it was sent (a rejected token form, the Authorization header)
// in its error body, and that body becomes our error message. The set is
// shared by all sources, since one source's secret is no more welcome in
// another's errors.
var secrets = struct {
	sync.RWMutex
	static map[string]bool
	tokens [recentTokens]string
	next   int
}{static: map[string]bool{}}

// minSecretLen is the shortest value redacted by substring: a shorter one
// (a 1-character test password) would blank that letter in every message,
// and is no secret worth the name anyway.
const minSecretLen = 8

// RegisterSecrets marks credentials from a source's configuration: they
// are replaced in every Error's text, as sent and URL-encoded. Values under
// minSecretLen characters are not.
func RegisterSecrets(values ...string) {
	secrets.RLock()
	known := true
	for _, v := range values {
		v = strings.TrimSpace(v)
		known = known && (len(v) < minSecretLen || secrets.static[v])
	}
	secrets.RUnlock()
	if known {
		return
	}
	secrets.Lock()
	defer secrets.Unlock()
	for _, v := range values {
		if v = strings.TrimSpace(v); len(v) >= minSecretLen {
			secrets.static[v] = true
			secrets.static[url.QueryEscape(v)] = true
		}
	}
}

// rememberToken marks an access token about to be sent.
func rememberToken(tok string) {
	if len(tok) < minSecretLen {
		return
	}
	secrets.RLock()
	for _, t := range secrets.tokens {
		if t == tok {
			secrets.RUnlock()
			return
		}
	}
	secrets.RUnlock()
	secrets.Lock()
	secrets.tokens[secrets.next] = tok
	secrets.next = (secrets.next + 1) % recentTokens
	secrets.Unlock()
}

// Redact replaces every known secret in s.
func Redact(s string) string {
	secrets.RLock()
	defer secrets.RUnlock()
	for v := range secrets.static {
		s = strings.ReplaceAll(s, v, redacted)
	}
	for _, t := range secrets.tokens {
		if t != "" {
			s = strings.ReplaceAll(s, t, redacted)
		}
	}
	return s
}

// SentToken marks an access token a client sends outside the Authorization
// header (Gravitel's token form field), so error text never carries it.
func SentToken(tok string) { rememberToken(tok) }
