package msem

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"switchboard/sources/internal/upstream"
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
	cc := clientcredentials.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		TokenURL:  strings.TrimRight(cfg.AuthURL, "/") + TokenPath,
		Scopes:    strings.Fields(cfg.Scope),
		AuthStyle: oauth2.AuthStyleInParams,
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = upstream.DefaultTimeout
	}
	tokenHTTP := &http.Client{Timeout: timeout}
	if cfg.HTTP != nil {
		tokenHTTP.Transport = cfg.HTTP.Transport
	}
	// cc.Token fetches every time; caching is upstream.Tokens' job, which can
	// drop a token after a 401 (cc.TokenSource's own cache cannot).
	tokens := upstream.NewTokens(upstream.TokenFunc(func() (*oauth2.Token, error) {
		return cc.Token(context.WithValue(context.Background(), oauth2.HTTPClient, tokenHTTP))
	}))
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
// operations are a KindBadInput error wrapping a *ValidationError, and
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
		return nil, err
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
