package mmp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// tokenSource fetches a fresh token on every call (upstream.Tokens reuses
// it, through oauth2.ReuseTokenSource, and shares one refresh). It sends the
// password grant as the JSON body the seed shows; if MMP refuses that body
// (as a server that reads only forms would), it sends the form x/oauth2
// writes and keeps to the form from then on.
type tokenSource struct {
	oc                 *oauth2.Config
	httpc              *http.Client
	timeout            time.Duration
	username, password string
	form               atomic.Bool // the JSON body was refused and the form worked
}

// Token implements oauth2.TokenSource.
func (t *tokenSource) Token() (*oauth2.Token, error) {
	if !t.form.Load() {
		tok, err := t.fetch(true)
		if err == nil {
			return tok, nil
		}
		if !bodyRefused(err) {
			return nil, tokenError(err)
		}
	}
	tok, err := t.fetch(false)
	if err != nil {
		return nil, tokenError(err)
	}
	t.form.Store(true)
	return tok, nil
}

// fetch runs x/oauth2's password grant, its form body rewritten as JSON
// when asJSON: oauth2 still builds the request and reads the answer
// (expiry, RetrieveError).
func (t *tokenSource) fetch(asJSON bool) (*oauth2.Token, error) {
	httpc := t.httpc
	if asJSON {
		c := *t.httpc
		base := c.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		c.Transport = jsonBody{base}
		httpc = &c
	}
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), oauth2.HTTPClient, httpc), t.timeout)
	defer cancel()
	return t.oc.PasswordCredentialsToken(ctx, t.username, t.password)
}

// bodyRefused tells a token endpoint that did not take the JSON body
// (unsupported media type, a validation failure, or Passport reading no
// grant_type from it) from one that refused our credentials (invalid_grant,
// invalid_client), which the form would not cure.
func bodyRefused(err error) bool {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return false
	}
	switch re.Response.StatusCode {
	case http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
		return true
	case http.StatusBadRequest:
		return re.ErrorCode == "invalid_request" || re.ErrorCode == "unsupported_grant_type"
	}
	return false
}

// jsonBody rewrites a form-encoded request body as a JSON object of the
// same fields.
type jsonBody struct{ base http.RoundTripper }

func (j jsonBody) RoundTrip(r *http.Request) (*http.Response, error) {
	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Body == nil || ctype != "application/x-www-form-urlencoded" {
		return j.base.RoundTrip(r)
	}
	raw, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(raw))
	if err != nil {
		return nil, err
	}
	fields := make(map[string]string, len(form))
	for k := range form {
		fields[k] = form.Get(k)
	}
	body, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "application/json")
	return j.base.RoundTrip(r)
}
