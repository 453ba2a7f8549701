package msem

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"switchboard/sources/upstream"
)

// Source is the name errors and metrics carry.
const Source = "msem"

// NotificationPath is the notification endpoint under ServicesURL.
const NotificationPath = "/api/crm/crm-to-msem/notification"

// TokenPath is the OAuth2 token endpoint under AuthURL.
const TokenPath = "/api/oauth/token"

// Config says where MseM is and how to authenticate.
type Config struct {
	AuthURL      string // e.g. https://auth.msem.tech
	ServicesURL  string // e.g. https://services.msem.tech
	ClientID     string
	ClientSecret string
	Scope        string // "all" when empty
	Channel      string // sent in every notification, e.g. "LBM"
	HTTP         *http.Client
	Timeout      time.Duration // per attempt; upstream.DefaultTimeout when zero
}

// Client pushes notifications to MseM. It is safe for concurrent use.
type Client struct {
	api     *upstream.Client
	channel string
}

// New checks cfg and builds a Client. No call is made until Notify.
func New(cfg Config) (*Client, error) {
	for name, u := range map[string]string{"AuthURL": cfg.AuthURL, "ServicesURL": cfg.ServicesURL} {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, fmt.Errorf("msem: %s must be an absolute http(s) URL", name)
		}
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("msem: ClientID and ClientSecret are required")
	}
	if cfg.Channel == "" {
		return nil, errors.New("msem: Channel is required")
	}
	if cfg.Scope == "" {
		cfg.Scope = "all"
	}
	upstream.RegisterSecrets(cfg.ClientSecret)
	tok := &tokenFetcher{
		conf: clientcredentials.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
			TokenURL: strings.TrimRight(cfg.AuthURL, "/") + TokenPath,
			Scopes:   strings.Fields(cfg.Scope),
		},
		http: &http.Client{Timeout: cmp.Or(cfg.Timeout, upstream.DefaultTimeout)},
	}
	if cfg.HTTP != nil {
		tok.http.Transport = cfg.HTTP.Transport
	}
	// tok fetches every time; caching is upstream.Tokens' job, which can
	// drop a token after a 401 (a TokenSource's own cache cannot).
	tokens := upstream.NewTokens(upstream.TokenFunc(tok.token))
	return &Client{
		channel: cfg.Channel,
		api: &upstream.Client{
			Source: Source, BaseURL: cfg.ServicesURL, HTTP: cfg.HTTP, Timeout: cfg.Timeout,
			Auth:         upstream.BearerAuth{Source: Source, Tokens: tokens},
			ErrorMessage: errorMessage,
		},
	}, nil
}

// Channel is the channel sent with every notification.
func (c *Client) Channel() string { return c.channel }

// Notify validates ops and pushes them in one notification. Invalid
// operations are a KindBadInput error wrapping an *upstream.InputError, and
// nothing is sent. It returns MseM's echo of the notification.
func (c *Client) Notify(ctx context.Context, ops []Operation) (*Notification, error) {
	const op = "notify"
	if err := Validate(ops); err != nil {
		return nil, upstream.NewError(Source, op, upstream.KindBadInput, 0, err.Error(), nil, err)
	}
	key := newKey()
	sent := Notification{Channel: c.channel, Operations: ops, IdempotencyKey: key}
	resp, err := c.api.Do(ctx, &upstream.Request{
		Operation: op, Method: http.MethodPost, Path: NotificationPath, JSON: sent,
		Header: http.Header{"Idempotency-Key": {key}},
		// MseM's document never promises to honour the key, so a
		// notification that may have arrived is never resent.
		Idempotent: false,
	})
	if err != nil {
		return nil, configError(err)
	}
	if len(strings.TrimSpace(string(resp.Body))) == 0 {
		return &sent, nil
	}
	var got Notification
	if err := strictObject(resp.Body, &got); err != nil {
		return nil, upstream.NewError(Source, op, upstream.KindInvalidResponse, resp.Status, "undecodable answer: "+err.Error(), resp.Body, err)
	}
	got.IdempotencyKey = key
	return &got, nil
}

// tokenFetcher asks the OAuth2 server for a token with the client
// credentials in the form, as the seed shows; when they are refused it tries
// HTTP Basic (the other usual client authentication) and keeps to the style
// that worked.
type tokenFetcher struct {
	conf  clientcredentials.Config
	http  *http.Client
	basic atomic.Bool
}

func (t *tokenFetcher) token() (*oauth2.Token, error) {
	basic := t.basic.Load()
	tok, err := t.fetch(basic)
	if err != nil && clientRefused(err) {
		tok, err2 := t.fetch(!basic)
		switch {
		case err2 == nil:
			t.basic.Store(!basic)
			return tok, nil
		case !clientRefused(err2):
			err = err2 // the other style got past client authentication: its refusal says more
		}
	}
	if err != nil {
		return nil, tokenRefusal(err)
	}
	return tok, nil
}

func (t *tokenFetcher) fetch(basic bool) (*oauth2.Token, error) {
	conf := t.conf
	conf.AuthStyle = oauth2.AuthStyleInParams
	if basic {
		conf.AuthStyle = oauth2.AuthStyleInHeader
	}
	return conf.Token(context.WithValue(context.Background(), oauth2.HTTPClient, t.http))
}

// clientRefused reports a token refusal that another client authentication
// style might pass: 401, or OAuth2's invalid_client / invalid_request.
func clientRefused(err error) bool {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return false
	}
	return re.Response.StatusCode == http.StatusUnauthorized || re.ErrorCode == "invalid_client" || re.ErrorCode == "invalid_request"
}

// tokenRefusal classifies a failed token request: any 4xx (credentials,
// scope, grant) refuses the gateway's own configuration, which the caller
// can do nothing about, so it is KindUnauthorized (UPSTREAM_UNAVAILABLE in
// the gateway), never KindRejected.
func tokenRefusal(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil || re.Response.StatusCode < 400 || re.Response.StatusCode >= 500 {
		return err
	}
	msg := cmp.Or(re.ErrorDescription, re.ErrorCode, "token request refused")
	return upstream.NewError(Source, "token", upstream.KindUnauthorized, re.Response.StatusCode, msg, nil, nil)
}

// configError reclassifies a refusal of the configured channel (a message
// about "channel", which no caller input carries: order attributes are
// reported under "operations...") as KindUnauthorized: it is our
// configuration, not the caller's request, that MseM refuses.
func configError(err error) error {
	ue, ok := upstream.AsError(err)
	if !ok || ue.Kind != upstream.KindRejected {
		return err
	}
	for _, m := range strings.Split(ue.Message, "; ") {
		m = strings.ToLower(strings.TrimSpace(m))
		if strings.HasPrefix(m, "channel") || strings.Contains(m, "unknown channel") || strings.Contains(m, "canal") {
			ue.Kind = upstream.KindUnauthorized
			break
		}
	}
	return err
}

// newKey is a random (version 4) UUID.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// errorMessage reads the upstream's message from an error body.
func errorMessage(_ int, body []byte) string {
	var e struct {
		Message          json.RawMessage `json:"message"`
		Error            string          `json:"error"`
		ErrorDescription string          `json:"error_description"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	var s string
	var list []string
	switch {
	case json.Unmarshal(e.Message, &s) == nil && s != "":
		return s
	case json.Unmarshal(e.Message, &list) == nil && len(list) > 0:
		return strings.Join(list, "; ")
	case e.ErrorDescription != "":
		return e.ErrorDescription
	}
	return e.Error
}
