package mmp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"switchboard/sources/upstream"
)

// Source is the name of this upstream in errors and metrics.
const Source = "mmp"

// Config is what a Client needs. Every string is required.
type Config struct {
	BaseURL      string // {url_apl_mmp} with its scheme, e.g. "https://api.mmp.example"
	Version      string // {version}, e.g. "v1"
	Network      string // {reseau}, the network code
	ClientID     string
	ClientSecret string
	Username     string
	Password     string
	HTTP         *http.Client  // optional; http.DefaultClient when nil
	Timeout      time.Duration // per attempt; upstream.DefaultTimeout when zero
}

// Client calls MMP Vision 360. It is safe for concurrent use; it fetches a
// token with the password grant, reuses it until it expires and fetches a
// new one when MMP answers 401.
type Client struct {
	up      *upstream.Client
	version string
	network string
}

// New checks cfg and builds a Client. No call is made until the first
// method call.
func New(cfg Config) (*Client, error) {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"BaseURL", cfg.BaseURL}, {"Version", cfg.Version}, {"Network", cfg.Network},
		{"ClientID", cfg.ClientID}, {"ClientSecret", cfg.ClientSecret},
		{"Username", cfg.Username}, {"Password", cfg.Password},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("mmp: missing config: %s", strings.Join(missing, ", "))
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("mmp: BaseURL must be an absolute http(s) URL")
	}
	upstream.RegisterSecrets(cfg.ClientSecret, cfg.Password)
	base := strings.TrimRight(cfg.BaseURL, "/")
	httpc := cfg.HTTP
	if httpc == nil {
		httpc = http.DefaultClient
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = upstream.DefaultTimeout
	}
	oc := &oauth2.Config{
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		Endpoint: oauth2.Endpoint{
			TokenURL:  base + "/api/" + url.PathEscape(cfg.Version) + "/service-authentification/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
	tokens := &tokenSource{oc: oc, httpc: httpc, timeout: timeout, username: cfg.Username, password: cfg.Password}
	return &Client{
		up: &upstream.Client{
			Source:       Source,
			BaseURL:      base,
			HTTP:         httpc,
			Auth:         upstream.BearerAuth{Source: Source, Tokens: upstream.NewTokens(tokens)},
			Timeout:      timeout,
			ErrorMessage: errorMessage,
		},
		version: cfg.Version,
		network: cfg.Network,
	}, nil
}

// tokenError maps a failed token request. MMP (Laravel Passport) refuses bad
// user credentials with 400 invalid_grant and a bad client with 401
// invalid_client: both mean our credentials are wrong. The message is the
// upstream's, which never echoes the password.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		var transport *url.Error
		if errors.As(err, &transport) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return err
		}
		// A 2xx answer without a readable token (HTML page, no access_token).
		return upstream.NewError(Source, "token", upstream.KindInvalidResponse, http.StatusOK, "unreadable token response", nil, err)
	}
	status := http.StatusBadGateway
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	msg := errorMessage(status, re.Body)
	if msg == "" {
		msg = re.ErrorDescription
	}
	if msg == "" {
		msg = upstream.DescribeBody(status, "", re.Body)
	}
	kind := upstream.KindForStatus(status)
	if status == http.StatusBadRequest {
		kind = upstream.KindUnauthorized
	}
	return upstream.NewError(Source, "token", kind, status, msg, re.Body, nil)
}

// path is /api/{version}/{network}/service-external-client/<rest>.
func (c *Client) path(rest string) string {
	return "/api/" + url.PathEscape(c.version) + "/" + url.PathEscape(c.network) + "/service-external-client/" + rest
}

// call sends req and decodes the data of a successful envelope into out.
func (c *Client) call(ctx context.Context, req *upstream.Request, out any) error {
	resp, err := c.up.Do(ctx, req)
	if err != nil {
		return err
	}
	env, err := c.envelope(req.Operation, resp)
	if err != nil {
		return err
	}
	return c.decodeData(req.Operation, resp, env.Data, out)
}

// envelope decodes a 2xx answer and turns success:false into an error.
func (c *Client) envelope(op string, resp *upstream.Response) (*envelope, error) {
	env, err := decodeEnvelope(resp.Body)
	if err != nil {
		return nil, upstream.NewError(Source, op, upstream.KindInvalidResponse, resp.Status,
			upstream.DescribeBody(resp.Status, resp.Header.Get("Content-Type"), resp.Body)+": not an MMP envelope", resp.Body, err)
	}
	if !env.Success {
		kind := upstream.KindRejected
		if notFoundMessage(env.Message) {
			kind = upstream.KindNotFound
		}
		return nil, upstream.NewError(Source, op, kind, resp.Status, env.describe(), resp.Body, nil)
	}
	return env, nil
}

func (c *Client) decodeData(op string, resp *upstream.Response, data json.RawMessage, out any) error {
	if len(data) == 0 || string(data) == "null" {
		return nil
	}
	if err := decode(data, out); err != nil {
		return upstream.NewError(Source, op, upstream.KindInvalidResponse, resp.Status, "unexpected data: "+err.Error(), resp.Body, err)
	}
	return nil
}

// notFoundMessage tells a refusal for an unknown vehicle or point of sale
// from other refusals, in English (lang=en) or French.
func notFoundMessage(msg string) bool {
	m := strings.ToLower(msg)
	for _, w := range []string{"not found", "unknown", "introuvable", "inconnu", "non trouv"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}
