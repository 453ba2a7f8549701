package gravitel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"switchboard/sources/phone"
	"switchboard/sources/upstream"
)

// Source is the source name carried by every *upstream.Error of this package.
const Source = "gravitel"

// Paths on the PBX domain.
const (
	LoginPath  = "/sys/api_login.wcgp"
	CRMAPIPath = "/sys/crm_api.wcgp"
)

// Config configures a Client.
type Config struct {
	URL        string // PBX domain base URL, e.g. https://domain.gravitel.ru
	Login      string // PBX administrator login
	Password   string // PBX administrator password
	CRMCode    string // our CRM identifier (crm_code)
	CRMToken   string // the token the PBX must present to our webhook (crm_token)
	WebhookURL string // our full webhook URL, sent as url at login
	SelfMap    bool   // users are mapped on our side: user is a PBX account name
	HTTP       *http.Client
	Timeout    time.Duration // per attempt; upstream.DefaultTimeout when zero
}

// Account is a PBX account (cmd=accounts).
type Account struct {
	Name     string `json:"name"`
	RealName string `json:"realName"`
}

// MakeCallResult is the PBX's acceptance of a makeCall: it will ring User,
// then Phone. The PBX returns no call id; the call shows up later through
// the history webhook.
type MakeCallResult struct {
	Phone       string // normalized E.164 digits
	User        string
	RequestedAt time.Time
}

// Client talks to one PBX domain. It is safe for concurrent use.
type Client struct {
	cfg    Config
	hc     *upstream.Client
	tokens *upstream.Tokens
	// registered: the PBX accepted our last login and has not refused its
	// token since. lost is signalled when it turns false.
	registered atomic.Bool
	lost       chan struct{}
}

// New checks cfg and builds a Client. It does not log in: the first call
// does (or Login).
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("gravitel: URL must be an absolute http(s) URL")
	}
	switch {
	case cfg.Login == "" || cfg.Password == "":
		return nil, errors.New("gravitel: Login and Password are required")
	case cfg.CRMCode == "" || cfg.CRMToken == "":
		return nil, errors.New("gravitel: CRMCode and CRMToken are required")
	case cfg.WebhookURL == "":
		return nil, errors.New("gravitel: WebhookURL is required")
	}
	upstream.RegisterSecrets(cfg.Password, cfg.CRMToken)
	c := &Client{cfg: cfg, lost: make(chan struct{}, 1)}
	c.hc = &upstream.Client{
		Source:       Source,
		BaseURL:      cfg.URL,
		HTTP:         cfg.HTTP,
		Timeout:      cfg.Timeout,
		ErrorMessage: errorMessage,
	}
	c.tokens = upstream.NewTokens(upstream.TokenFunc(func() (*oauth2.Token, error) {
		// oauth2.TokenSource has no context; each attempt is still bounded
		// by the per-attempt timeout and the retry limit.
		return c.login(context.Background())
	}))
	return c, nil
}

// Login makes sure the client holds a token the PBX accepted, logging in
// (and so registering WebhookURL and CRMToken with the PBX) when it holds
// none or the PBX refused the one it holds.
func (c *Client) Login(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		_, gen, err := c.tokens.Token()
		if err == nil && !c.Registered() {
			c.tokens.Invalidate(gen)
			_, _, err = c.tokens.Token()
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Registered reports whether our webhook and crm_token are registered
// with the PBX as far as we know: its last login answer was a token, and no
// call was refused with 401 since.
func (c *Client) Registered() bool { return c.registered.Load() }

// Unregistered is signalled (at most one pending signal) when Registered
// turns false: a login failed or the PBX refused our token.
func (c *Client) Unregistered() <-chan struct{} { return c.lost }

func (c *Client) setRegistered(ok bool) {
	if !c.registered.Swap(ok) || ok {
		return
	}
	select {
	case c.lost <- struct{}{}:
	default:
	}
}

// CheckReachable asks crm_api for the accounts without a token: the PBX
// answers {"error":…} (401 Invalid token, or 400) without logging anyone in,
// which shows its API is up at URL. It checks no credential: the only
// documented way to check them is api_login, which also registers url as
// the PBX's one webhook (see the package comment).
func (c *Client) CheckReachable(ctx context.Context) error {
	const op = "reachability"
	_, err := c.hc.Do(ctx, &upstream.Request{
		Operation: op, Method: http.MethodPost, Path: CRMAPIPath,
		Form: url.Values{"cmd": {"accounts"}, "token": {""}}, Idempotent: true,
	})
	ue, ok := upstream.AsError(err)
	switch {
	case err == nil:
		return upstream.NewError(Source, op, upstream.KindInvalidResponse, http.StatusOK, "crm_api answered a request without a token", nil, nil)
	case ok && (ue.Status == http.StatusUnauthorized || ue.Status == http.StatusBadRequest) && ue.Message != "":
		return nil
	}
	return err
}

type loginResponse struct {
	Token string `json:"token"`
}

func (c *Client) login(ctx context.Context) (*oauth2.Token, error) {
	form := url.Values{
		"login":     {c.cfg.Login},
		"password":  {c.cfg.Password},
		"crm_code":  {c.cfg.CRMCode},
		"crm_token": {c.cfg.CRMToken},
		"url":       {c.cfg.WebhookURL},
	}
	if c.cfg.SelfMap {
		form.Set("self_map", "true")
	}
	resp, err := c.hc.Do(ctx, &upstream.Request{
		Operation: "login", Method: http.MethodPost, Path: LoginPath,
		Form: form, Idempotent: true,
	})
	if err != nil {
		c.setRegistered(false)
		return nil, err
	}
	var lr loginResponse
	if jerr := json.Unmarshal(resp.Body, &lr); jerr != nil || lr.Token == "" {
		lr.Token = looseField(resp.Body, "token")
	}
	if lr.Token == "" {
		c.setRegistered(false)
		return nil, invalid("login", resp, "no token in the login answer")
	}
	c.setRegistered(true)
	return &oauth2.Token{AccessToken: lr.Token, TokenType: "gravitel"}, nil
}

// MakeCall asks the PBX to ring user, then number. The number is normalized
// first; a bad number or empty user is refused (KindBadInput) without
// calling the PBX. It is never retried on failure.
func (c *Client) MakeCall(ctx context.Context, number, user string) (MakeCallResult, error) {
	const op = "makeCall"
	p, err := phone.Normalize(number)
	if err != nil {
		return MakeCallResult{}, upstream.NewError(Source, op, upstream.KindBadInput, 0, "invalid phone number", nil, err)
	}
	if user == "" {
		return MakeCallResult{}, upstream.NewError(Source, op, upstream.KindBadInput, 0, "user is required", nil, nil)
	}
	resp, err := c.call(ctx, op, url.Values{"cmd": {"makeCall"}, "phone": {p}, "user": {user}}, false)
	if err != nil {
		return MakeCallResult{}, err
	}
	if msg := looseField(resp.Body, "error"); msg != "" {
		return MakeCallResult{}, upstream.NewError(Source, op, upstream.KindRejected, resp.Status, msg, resp.Body, nil)
	}
	return MakeCallResult{Phone: p, User: user, RequestedAt: time.Now()}, nil
}

// Accounts lists the PBX accounts of the domain.
func (c *Client) Accounts(ctx context.Context) ([]Account, error) {
	const op = "accounts"
	resp, err := c.call(ctx, op, url.Values{"cmd": {"accounts"}}, true)
	if err != nil {
		return nil, err
	}
	var accts []Account
	if err := json.Unmarshal(resp.Body, &accts); err != nil {
		var env struct {
			Accounts *[]Account `json:"accounts"`
		}
		if json.Unmarshal(resp.Body, &env) == nil && env.Accounts != nil {
			accts = *env.Accounts
		} else if msg := looseField(resp.Body, "error"); msg != "" {
			return nil, upstream.NewError(Source, op, upstream.KindRejected, resp.Status, msg, resp.Body, nil)
		} else {
			return nil, invalid(op, resp, "undecodable accounts list")
		}
	}
	if accts == nil {
		accts = []Account{}
	}
	return accts, nil
}

// call sends a crm_api command with the current token, logging in again
// and resending once when the PBX says the token is invalid (401).
func (c *Client) call(ctx context.Context, op string, form url.Values, idempotent bool) (*upstream.Response, error) {
	for attempt := 0; ; attempt++ {
		tok, gen, err := c.tokens.Token()
		if err != nil {
			return nil, err
		}
		upstream.SentToken(tok.AccessToken)
		form.Set("token", tok.AccessToken)
		resp, err := c.hc.Do(ctx, &upstream.Request{
			Operation: op, Method: http.MethodPost, Path: CRMAPIPath,
			Form: form, Idempotent: idempotent,
		})
		if ue, ok := upstream.AsError(err); ok && ue.Status == http.StatusUnauthorized {
			// The PBX forgot our token, and maybe our webhook with it: the
			// login that follows registers both again (and says whether it
			// could); a fresh token refused too means we are not registered.
			if attempt == 0 {
				c.tokens.Invalidate(gen)
				continue
			}
			c.setRegistered(false)
		}
		return resp, err
	}
}

func invalid(op string, resp *upstream.Response, msg string) error {
	return upstream.NewError(Source, op, upstream.KindInvalidResponse, resp.Status, msg, resp.Body, nil)
}

// errorMessage reads {"error":"…"}, the PBX's only error body.
func errorMessage(_ int, body []byte) string {
	return looseField(body, "error")
}

var looseRe = map[string]*regexp.Regexp{
	"token": regexp.MustCompile(`^\{\s*"?token"?\s*:\s*"([^"]*)"\s*,?\s*\}$`),
	"error": regexp.MustCompile(`^\{\s*"?error"?\s*:\s*"([^"]*)"\s*,?\s*\}$`),
}

// looseField reads one string field of a one-field object, in strict JSON
// or in the unquoted-key JavaScript form the seed shows.
func looseField(body []byte, key string) string {
	body = bytes.TrimSpace(body)
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		s, _ := m[key].(string)
		return s
	}
	if sm := looseRe[key].FindSubmatch(body); sm != nil {
		return string(sm[1])
	}
	return ""
}
