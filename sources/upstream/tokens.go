package upstream

import (
	"errors"
	"net/http"
	"sync"

	"golang.org/x/oauth2"
)

// Tokens caches a bearer token until it expires and lets a caller that was
// answered 401 drop exactly the token it used. Caching and the sharing of one
// refresh between concurrent callers come from oauth2.ReuseTokenSource (it
// holds a mutex while fetching); Tokens only adds invalidation, which
// ReuseTokenSource lacks.
type Tokens struct {
	base oauth2.TokenSource

	mu  sync.Mutex
	cur oauth2.TokenSource
	gen uint64
}

// NewTokens wraps a source that fetches a fresh token on every call.
func NewTokens(fetch oauth2.TokenSource) *Tokens {
	return &Tokens{base: fetch, cur: oauth2.ReuseTokenSource(nil, fetch)}
}

// Token returns a valid token and the generation it belongs to.
func (t *Tokens) Token() (*oauth2.Token, uint64, error) {
	t.mu.Lock()
	cur, gen := t.cur, t.gen
	t.mu.Unlock()
	tok, err := cur.Token()
	return tok, gen, err
}

// Invalidate forgets the token of generation gen. Callers that saw a 401 with
// an older generation do nothing: someone already refreshed, so N concurrent
// 401s cause one refresh, not N.
func (t *Tokens) Invalidate(gen uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if gen == t.gen {
		t.cur = oauth2.ReuseTokenSource(nil, t.base)
		t.gen++
	}
}

// TokenFunc adapts a function to oauth2.TokenSource.
type TokenFunc func() (*oauth2.Token, error)

// Token implements oauth2.TokenSource.
func (f TokenFunc) Token() (*oauth2.Token, error) { return f() }

// retrieveError reads the status and the upstream's own description out of
// an oauth2 token endpoint failure.
func retrieveError(err error) (status int, msg string, ok bool) {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return 0, "", false
	}
	status = http.StatusBadGateway
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	msg = re.ErrorDescription
	if msg == "" {
		msg = re.ErrorCode
	}
	if msg == "" {
		msg = "token request refused"
	}
	return status, msg, true
}
