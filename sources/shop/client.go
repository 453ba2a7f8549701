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
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"switchboard/sources/upstream"
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
	fetcher := &tokenFetcher{api: tokenAPI, id: cfg.ClientID, secret: cfg.ClientSecret}
	tokens := upstream.NewTokens(upstream.TokenFunc(fetcher.token))
	api := &upstream.Client{Source: Source, BaseURL: cfg.BaseURL, HTTP: cfg.HTTP, Timeout: cfg.Timeout, ErrorMessage: errorMessage,
		Auth: upstream.BearerAuth{Source: Source, Tokens: tokens}}
	return &Client{api: api}, nil
}

// tokenStyle is where the token request carries the credentials. The
// document lists client_id and client_secret as parameters of GET /token
// (hence the query), but also says request data is sent as JSON and its
// example is cut off: the other reading is a JSON body.
type tokenStyle int32

const (
	tokenInQuery tokenStyle = iota
	tokenInJSON
)

// tokenFetcher asks GET /token for a fresh token in the style that last
// worked, trying the other one once when the credentials are refused.
type tokenFetcher struct {
	api        *upstream.Client
	id, secret string
	style      atomic.Int32
}

// token implements upstream.TokenFunc. oauth2.TokenSource has no context:
// the kit's per-attempt timeout bounds the call.
func (t *tokenFetcher) token() (*oauth2.Token, error) {
	style := tokenStyle(t.style.Load())
	tok, err := t.fetch(style)
	if err != nil && refusedCredentials(err) {
		tok2, err2 := t.fetch(1 - style)
		if err2 == nil {
			t.style.Store(int32(1 - style))
			return tok2, nil
		}
	}
	// A refused token request is our configuration (credentials, request
	// style), never the caller's: KindUnauthorized whatever the 4xx.
	if ue, ok := upstream.AsError(err); ok && ue.Status >= 400 && ue.Status < 500 {
		ue.Kind = upstream.KindUnauthorized
	}
	return tok, err
}

func refusedCredentials(err error) bool {
	ue, ok := upstream.AsError(err)
	return ok && (ue.Status == http.StatusUnauthorized || ue.Status == http.StatusBadRequest)
}

func (t *tokenFetcher) fetch(style tokenStyle) (*oauth2.Token, error) {
	const op = "token"
	req := &upstream.Request{Operation: op, Method: http.MethodGet, Path: "/token", Idempotent: true}
	if style == tokenInJSON {
		req.JSON = map[string]string{"client_id": t.id, "client_secret": t.secret}
	} else {
		req.Query = url.Values{"client_id": {t.id}, "client_secret": {t.secret}}
	}
	resp, err := t.api.Do(context.Background(), req)
	if err != nil {
		return nil, classify(err)
	}
	if msg, ok := errorEnvelope(resp.Body); ok {
		return nil, upstream.NewError(Source, op, upstream.KindUnauthorized, resp.Status, msg, resp.Body, nil)
	}
	f, err := tokenNames.object(op, resp.Body)
	if err != nil {
		return nil, invalid(op, resp, err)
	}
	access, err := f.str("token")
	if err != nil || access == "" {
		return nil, upstream.NewError(Source, op, upstream.KindInvalidResponse, resp.Status, "token response without access_token", nil, nil)
	}
	typ, _ := f.str("type")
	tok := &oauth2.Token{AccessToken: access, TokenType: typ}
	if secs, ok, err := f.number("expires"); err == nil && ok && secs > 0 {
		tok.Expiry = time.Now().Add(time.Duration(secs) * time.Second)
	}
	return tok, nil
}

// Interfaces lists the keys of every interface (GET /interfaces).
func (c *Client) Interfaces(ctx context.Context) ([]string, error) {
	return c.list(ctx, "interfaces", "/interfaces", listItemKeyNames)
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
	resp, err := c.do(ctx, op, http.MethodPost, "/interfaces", req)
	if err != nil {
		return "", err
	}
	// The order is placed: an answer we cannot read must not look like a
	// refusal, hence KindInvalidResponse with the body kept.
	f, err := saKeyNames.object(op, resp.Body)
	if err != nil {
		return "", invalid(op, resp, err)
	}
	key, err := f.str("key")
	if err != nil || key == "" {
		return "", upstream.NewError(Source, op, upstream.KindInvalidResponse, resp.Status, "creation answer without sa_key", resp.Body, nil)
	}
	return key, nil
}

// DeleteInterface requests the deletion of an interface (DELETE
// /interfaces/{key}); it returns the date the deletion becomes final (90 days
// later). Until then the interface is disabled and can be reactivated.
func (c *Client) DeleteInterface(ctx context.Context, key string) (time.Time, error) {
	const op = "delete_interface"
	if err := need(op, "key", key); err != nil {
		return time.Time{}, err
	}
	resp, err := c.do(ctx, op, http.MethodDelete, "/interfaces/"+url.PathEscape(key), nil)
	if err != nil {
		return time.Time{}, err
	}
	at, err := decodeDate(op, deletionNames, resp.Body)
	if err != nil {
		return time.Time{}, invalid(op, resp, err)
	}
	return at, nil
}

// ReactivateInterface cancels a pending deletion (POST /interfaces/{key})
// and returns the reactivation date. It is refused (KindRejected) when no
// deletion was requested or the deletion is already final.
func (c *Client) ReactivateInterface(ctx context.Context, key string) (*Reactivation, error) {
	const op = "reactivate_interface"
	if err := need(op, "key", key); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, op, http.MethodPost, "/interfaces/"+url.PathEscape(key), nil)
	if err != nil {
		return nil, err
	}
	at, err := decodeDate(op, reactivationNames, resp.Body)
	if err != nil {
		return nil, invalid(op, resp, err)
	}
	return &Reactivation{At: at}, nil
}

// InterfacePrestations lists the codes of an interface's prestations (GET
// /interfaces/{key}/prestations).
func (c *Client) InterfacePrestations(ctx context.Context, key string) ([]string, error) {
	const op = "interface_prestations"
	if err := need(op, "key", key); err != nil {
		return nil, err
	}
	return c.list(ctx, op, "/interfaces/"+url.PathEscape(key)+"/prestations", listItemCodeNames)
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
	return c.links(ctx, op, http.MethodPost, "/interfaces/"+url.PathEscape(key)+"/prestations", body)
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
	return c.links(ctx, op, http.MethodDelete, "/interfaces/"+url.PathEscape(key)+"/prestations/"+url.PathEscape(codeOrReference), nil)
}

// Prestations lists the codes of the catalogue (GET /prestations).
func (c *Client) Prestations(ctx context.Context) ([]string, error) {
	return c.list(ctx, "prestations", "/prestations", listItemCodeNames)
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

// list GETs a list of keys or codes.
func (c *Client) list(ctx context.Context, op, path string, item names) ([]string, error) {
	resp, err := c.do(ctx, op, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	out, err := decodeList(op, resp.Body, item)
	if err != nil {
		return nil, invalid(op, resp, err)
	}
	return out, nil
}

// links sends an addition or a cancellation and reads the prestations it
// touched.
func (c *Client) links(ctx context.Context, op, method, path string, body any) ([]PrestationLink, error) {
	resp, err := c.do(ctx, op, method, path, body)
	if err != nil {
		return nil, err
	}
	out, err := decodeLinks(op, resp.Body)
	if err != nil {
		return nil, invalid(op, resp, err)
	}
	return out, nil
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
