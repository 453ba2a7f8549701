package shop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"switchboard/sources/internal/upstream"
)

// Source is the name errors and metrics carry.
const Source = "shop"

// Config says where the API is and how to authenticate.
type Config struct {
	BaseURL      string // e.g. https://api.cegid.shop-application.io
	ClientID     string
	ClientSecret string
	HTTP         *http.Client  // optional; http.DefaultClient when nil
	Timeout      time.Duration // per attempt; upstream.DefaultTimeout when zero
}

// Client calls the Shop Application API. It is safe for concurrent use.
type Client struct {
	api *upstream.Client
}

// New checks cfg and builds a Client. No call is made until the first method.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("shop: BaseURL must be an absolute http(s) URL")
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("shop: ClientID and ClientSecret are required")
	}
	upstream.RegisterSecrets(cfg.ClientSecret)
	// The token endpoint gets its own kit client (own breaker and bulkhead):
	// a token fetch must not queue behind the API calls waiting for it.
	tokenAPI := &upstream.Client{Source: Source, BaseURL: cfg.BaseURL, HTTP: cfg.HTTP, Timeout: cfg.Timeout, ErrorMessage: errorMessage}
	tokens := upstream.NewTokens(upstream.TokenFunc(func() (*oauth2.Token, error) {
		return fetchToken(tokenAPI, cfg.ClientID, cfg.ClientSecret)
	}))
	api := &upstream.Client{Source: Source, BaseURL: cfg.BaseURL, HTTP: cfg.HTTP, Timeout: cfg.Timeout, ErrorMessage: errorMessage,
		Auth: upstream.BearerAuth{Source: Source, Tokens: tokens}}
	return &Client{api: api}, nil
}

// fetchToken asks GET /token for a fresh token. oauth2.TokenSource has no
// context: the kit's per-attempt timeout bounds the call.
func fetchToken(api *upstream.Client, id, secret string) (*oauth2.Token, error) {
	const op = "token"
	resp, err := api.Do(context.Background(), &upstream.Request{
		Operation: op, Method: http.MethodGet, Path: "/token",
		Query:      url.Values{"client_id": {id}, "client_secret": {secret}},
		Idempotent: true,
	})
	if err != nil {
		return nil, classify(err)
	}
	var w struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := decodeJSON(op, resp, &w); err != nil {
		return nil, err
	}
	if w.AccessToken == "" {
		return nil, upstream.NewError(Source, op, upstream.KindInvalidResponse, resp.Status, "token response without access_token", nil, nil)
	}
	tok := &oauth2.Token{AccessToken: w.AccessToken, TokenType: w.TokenType}
	if w.ExpiresIn > 0 {
		tok.Expiry = time.Now().Add(time.Duration(w.ExpiresIn) * time.Second)
	}
	return tok, nil
}

// Interfaces lists the keys of every interface (GET /interfaces).
func (c *Client) Interfaces(ctx context.Context) ([]string, error) {
	var keys []string
	err := c.call(ctx, "interfaces", http.MethodGet, "/interfaces", nil, &keys)
	return keys, err
}

// Interface returns one interface (GET /interfaces/{key}). An unknown key is
// a KindNotFound error.
func (c *Client) Interface(ctx context.Context, key string) (*Interface, error) {
	const op = "interface"
	if err := need(op, "key", key); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, op, http.MethodGet, "/interfaces/"+url.PathEscape(key), nil)
	if err != nil {
		return nil, err
	}
	itf, err := decodeInterface(key, resp.Body)
	if err != nil {
		return nil, invalid(op, resp, err)
	}
	return itf, nil
}

// CreateInterface asks for a new interface (POST /interfaces) and returns
// its key (sa_key). The new interface starts pending. Check the order with
// ValidateCreate first: the upstream refuses bad ones with KindRejected.
func (c *Client) CreateInterface(ctx context.Context, req CreateInterfaceRequest) (string, error) {
	const op = "create_interface"
	if err := need(op, "guid", req.GUID); err != nil {
		return "", err
	}
	if len(req.Prestations) == 0 {
		return "", badInput(op, "prestations is required")
	}
	var out struct {
		SAKey string `json:"sa_key"`
	}
	if err := c.call(ctx, op, http.MethodPost, "/interfaces", req, &out); err != nil {
		return "", err
	}
	if out.SAKey == "" {
		return "", upstream.NewError(Source, op, upstream.KindInvalidResponse, http.StatusOK, "creation answer without sa_key", nil, nil)
	}
	return out.SAKey, nil
}

// DeleteInterface requests the deletion of an interface (DELETE
// /interfaces/{key}); it returns the date the deletion becomes final (90 days
// later). Until then the interface is disabled and can be reactivated.
func (c *Client) DeleteInterface(ctx context.Context, key string) (time.Time, error) {
	const op = "delete_interface"
	if err := need(op, "key", key); err != nil {
		return time.Time{}, err
	}
	var out struct {
		DateSuppression wireDate `json:"date_suppression"`
	}
	err := c.call(ctx, op, http.MethodDelete, "/interfaces/"+url.PathEscape(key), nil, &out)
	return out.DateSuppression.Time, err
}

// ReactivateInterface cancels a pending deletion (POST /interfaces/{key})
// and returns the reactivation date. It is refused (KindRejected) when no
// deletion was requested or the deletion is already final.
func (c *Client) ReactivateInterface(ctx context.Context, key string) (time.Time, error) {
	const op = "reactivate_interface"
	if err := need(op, "key", key); err != nil {
		return time.Time{}, err
	}
	var out struct {
		DateReactivation wireDate `json:"date_reactivation"`
	}
	err := c.call(ctx, op, http.MethodPost, "/interfaces/"+url.PathEscape(key), nil, &out)
	return out.DateReactivation.Time, err
}

// InterfacePrestations lists the codes of an interface's prestations (GET
// /interfaces/{key}/prestations).
func (c *Client) InterfacePrestations(ctx context.Context, key string) ([]string, error) {
	const op = "interface_prestations"
	if err := need(op, "key", key); err != nil {
		return nil, err
	}
	var codes []string
	err := c.call(ctx, op, http.MethodGet, "/interfaces/"+url.PathEscape(key)+"/prestations", nil, &codes)
	return codes, err
}

// InterfacePrestation returns every occurrence of one prestation on an
// interface (GET /interfaces/{key}/prestations/{code}).
func (c *Client) InterfacePrestation(ctx context.Context, key, code string) ([]OrderedPrestation, error) {
	const op = "interface_prestation"
	if err := need(op, "key", key); err != nil {
		return nil, err
	}
	if err := need(op, "code", code); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, op, http.MethodGet, "/interfaces/"+url.PathEscape(key)+"/prestations/"+url.PathEscape(code), nil)
	if err != nil {
		return nil, err
	}
	out, err := decodeOrdered(resp.Body)
	if err != nil {
		return nil, invalid(op, resp, err)
	}
	return out, nil
}

// AddPrestations orders more prestations for an existing interface (POST
// /interfaces/{key}/prestations). Check the order with ValidateAdd first.
func (c *Client) AddPrestations(ctx context.Context, key string, codes []string) ([]PrestationLink, error) {
	const op = "add_prestations"
	if err := need(op, "key", key); err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, badInput(op, "at least one prestation code is required")
	}
	body := struct {
		Prestations []string `json:"prestations"`
	}{codes}
	var out []PrestationLink
	err := c.call(ctx, op, http.MethodPost, "/interfaces/"+url.PathEscape(key)+"/prestations", body, &out)
	return out, err
}

// CancelPrestation cancels prestations of an interface (DELETE
// /interfaces/{key}/prestations/{codeOrReference}). Given a code, every
// occurrence of it is cancelled; given a unique reference, only that one.
func (c *Client) CancelPrestation(ctx context.Context, key, codeOrReference string) ([]PrestationLink, error) {
	const op = "cancel_prestation"
	if err := need(op, "key", key); err != nil {
		return nil, err
	}
	if err := need(op, "code", codeOrReference); err != nil {
		return nil, err
	}
	var out []PrestationLink
	err := c.call(ctx, op, http.MethodDelete, "/interfaces/"+url.PathEscape(key)+"/prestations/"+url.PathEscape(codeOrReference), nil, &out)
	return out, err
}

// Prestations lists the codes of the catalogue (GET /prestations).
func (c *Client) Prestations(ctx context.Context) ([]string, error) {
	var codes []string
	err := c.call(ctx, "prestations", http.MethodGet, "/prestations", nil, &codes)
	return codes, err
}

// Prestation returns one catalogue entry (GET /prestation/{code}).
func (c *Client) Prestation(ctx context.Context, code string) (*Prestation, error) {
	const op = "prestation"
	if err := need(op, "code", code); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, op, http.MethodGet, "/prestation/"+url.PathEscape(code), nil)
	if err != nil {
		return nil, err
	}
	p, err := decodePrestation(code, resp.Body)
	if err != nil {
		return nil, invalid(op, resp, err)
	}
	return p, nil
}

// catalogueConcurrency bounds the detail calls Catalogue makes at once.
const catalogueConcurrency = 4

// Catalogue fetches the list and then every entry's detail (1 + N calls),
// in list order: what ValidateCreate and ValidateAdd need. Callers should
// cache it.
func (c *Client) Catalogue(ctx context.Context) ([]Prestation, error) {
	codes, err := c.Prestations(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]Prestation, len(codes))
	errs := make([]error, len(codes))
	sem := make(chan struct{}, catalogueConcurrency)
	var wg sync.WaitGroup
	for i, code := range codes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p, err := c.Prestation(ctx, code)
			if err != nil {
				errs[i] = err
				cancel()
				return
			}
			out[i] = *p
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// call sends a request and decodes a JSON answer into out.
func (c *Client) call(ctx context.Context, op, method, path string, body, out any) error {
	resp, err := c.do(ctx, op, method, path, body)
	if err != nil {
		return err
	}
	return decodeJSON(op, resp, out)
}

func (c *Client) do(ctx context.Context, op, method, path string, body any) (*upstream.Response, error) {
	resp, err := c.api.Do(ctx, &upstream.Request{
		Operation: op, Method: method, Path: path, JSON: body,
		Idempotent: method == http.MethodGet,
	})
	if err != nil {
		return nil, classify(err)
	}
	if msg, ok := errorEnvelope(resp.Body); ok {
		return nil, classify(upstream.NewError(Source, op, upstream.KindRejected, resp.Status, msg, resp.Body, nil))
	}
	return resp, nil
}

func decodeJSON(op string, resp *upstream.Response, out any) error {
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return invalid(op, resp, err)
	}
	return nil
}

func invalid(op string, resp *upstream.Response, err error) error {
	return upstream.NewError(Source, op, upstream.KindInvalidResponse, resp.Status,
		"undecodable answer: "+err.Error(), resp.Body, err)
}

func need(op, field, v string) error {
	if strings.TrimSpace(v) == "" {
		return badInput(op, field+" is required")
	}
	return nil
}

func badInput(op, msg string) error {
	return upstream.NewError(Source, op, upstream.KindBadInput, 0, msg, nil, nil)
}

// classify turns a 400 that says "does not exist" into KindNotFound.
func classify(err error) error {
	ue, ok := upstream.AsError(err)
	if ok && ue.Status == http.StatusBadRequest && saysNotFound(ue.Message) {
		ue.Kind = upstream.KindNotFound
	}
	return err
}

func saysNotFound(msg string) bool {
	m := strings.ToLower(msg)
	for _, s := range []string{"n'existe pas", "n’existe pas", "introuvable", "inexistant", "not found", "does not exist"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// errorEnvelope reads {"error": true, "message": "..."}.
func errorEnvelope(body []byte) (string, bool) {
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		return "", false
	}
	var e struct {
		Error   bool   `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || !e.Error {
		return "", false
	}
	if e.Message == "" {
		e.Message = "refused without a message"
	}
	return e.Message, true
}

// errorMessage is the kit hook decoding the API's error bodies.
func errorMessage(status int, body []byte) string {
	msg, _ := errorEnvelope(body)
	return msg
}
