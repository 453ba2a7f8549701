package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sony/gobreaker/v2"

	"switchboard/sources/internal/clock"
)

// Defaults for a Client whose fields are left zero.
const (
	DefaultTimeout    = 5 * time.Second
	DefaultMaxRetries = 2
	DefaultMaxBody    = 32 << 20
	retryBase         = 50 * time.Millisecond
	retryCap          = 2 * time.Second
)

// Auth adds credentials to an outgoing request. The returned invalidate
// function is called when the upstream answers 401, before the one retry
// with fresh credentials.
type Auth interface {
	Authorize(r *http.Request) (invalidate func(), err error)
}

// BearerAuth sends tokens from a Tokens cache as "Authorization: Bearer".
type BearerAuth struct {
	Source string
	Tokens *Tokens
}

// Authorize implements Auth.
func (b BearerAuth) Authorize(r *http.Request) (func(), error) {
	tok, gen, err := b.Tokens.Token()
	if err != nil {
		return nil, err
	}
	rememberToken(tok.AccessToken)
	r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	return func() {
		tokenRefreshes.WithLabelValues(b.Source).Inc()
		b.Tokens.Invalidate(gen)
	}, nil
}

// StaticBearer sends a fixed API key as a bearer token; a 401 cannot be
// cured by refreshing it.
type StaticBearer string

// Authorize implements Auth.
func (s StaticBearer) Authorize(r *http.Request) (func(), error) {
	RegisterSecrets(string(s))
	r.Header.Set("Authorization", "Bearer "+string(s))
	return nil, nil
}

// Client is the HTTP client every source embeds.
type Client struct {
	Source     string
	BaseURL    string
	HTTP       *http.Client
	Auth       Auth
	Timeout    time.Duration // per attempt
	MaxRetries int           // for idempotent requests; negative disables
	MaxBody    int64
	// ErrorMessage extracts the upstream's own message from an error body.
	// It must not return anything from our request (it only sees the response).
	ErrorMessage func(status int, body []byte) string
	// MaxConcurrent bounds calls in flight to this source (bulkhead), so one
	// slow upstream cannot hold every goroutine and socket.
	MaxConcurrent int
	// BreakerFailures consecutive faults open an operation's breaker for
	// BreakerCoolDown; then one probe call decides.
	BreakerFailures uint32
	BreakerCoolDown time.Duration

	guards guards
}

// Multipart is a multipart/form-data body: its fields, in order, then one
// file. The file is read from File on each attempt, never held in memory,
// and the body is sent with its exact Content-Length.
type Multipart struct {
	Fields    [][2]string // name, value
	FileField string
	FileName  string
	FileType  string
	File      io.ReaderAt
	FileSize  int64
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// multipartBody is a Multipart framed: the bytes before the file and after.
type multipartBody struct {
	m           *Multipart
	head, tail  []byte
	contentType string
}

func (m *Multipart) body() (*multipartBody, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range m.Fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	h := textproto.MIMEHeader{}
	// As multipart.Writer.CreateFormFile writes it (a plain quoted
	// filename, which every server reads).
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, quoteEscaper.Replace(m.FileField), quoteEscaper.Replace(m.FileName)))
	if m.FileType != "" {
		h.Set("Content-Type", m.FileType)
	}
	if _, err := mw.CreatePart(h); err != nil {
		return nil, err
	}
	head := bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return &multipartBody{m: m, head: head, tail: bytes.Clone(buf.Bytes()), contentType: mw.FormDataContentType()}, nil
}

func (b *multipartBody) reader() io.Reader {
	return io.MultiReader(bytes.NewReader(b.head), io.NewSectionReader(b.m.File, 0, b.m.FileSize), bytes.NewReader(b.tail))
}

// Request is one upstream call. Bodies are rebuilt on each attempt, so a
// retried or re-authenticated request sends the same bytes again.
type Request struct {
	Operation  string
	Method     string
	Path       string // appended to BaseURL
	Query      url.Values
	JSON       any        // sent as application/json
	Form       url.Values // sent form-encoded
	Multipart  *Multipart // sent as multipart/form-data
	Header     http.Header
	Idempotent bool // safe to send twice: a safe method, or documented as applied once (see Do)
}

// Response is a successful (2xx) answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends req, retrying on transient failures and re-authenticating once
// on 401 (a refused request was not applied). A request that may have
// reached the upstream is resent only when it is Idempotent. Any non-2xx
// answer becomes an *Error.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	maxRetries := c.MaxRetries
	if maxRetries == 0 {
		maxRetries = DefaultMaxRetries
	}
	if maxRetries < 0 {
		maxRetries = 0
	}
	reauthed := false
	for attempt := 0; ; attempt++ {
		resp, retryAfter, err := c.guarded(ctx, req.Operation, func() (*Response, time.Duration, error) {
			return c.once(ctx, req, &reauthed)
		})
		if err == nil {
			return resp, nil
		}
		ue, _ := AsError(err)
		if attempt >= maxRetries || ue == nil || !retryable(ctx, ue) || (ue.Sent && !req.Idempotent) {
			return nil, err
		}
		retries.WithLabelValues(c.Source, req.Operation).Inc()
		if err := clock.Sleep(ctx, backoff(attempt, retryAfter)); err != nil {
			// The caller's deadline ran out between attempts: still this
			// source's failure.
			return nil, NewError(c.Source, req.Operation, KindTimeout, 0, "timed out (deadline reached before a retry)", nil, err)
		}
	}
}

// once performs one attempt, plus the single re-authentication retry.
func (c *Client) once(ctx context.Context, req *Request, reauthed *bool) (*Response, time.Duration, error) {
	for {
		resp, invalidate, err := c.send(ctx, req)
		if err != nil {
			return nil, 0, err
		}
		if resp.StatusCode == http.StatusUnauthorized && invalidate != nil && !*reauthed {
			drain(resp)
			*reauthed = true
			invalidate()
			continue
		}
		return c.finish(req, resp)
	}
}

func (c *Client) send(ctx context.Context, req *Request) (*http.Response, func(), error) {
	actx, cancel := context.WithTimeout(ctx, c.attemptTimeout())
	hr, err := c.build(actx, req)
	if err != nil {
		cancel()
		return nil, nil, NewError(c.Source, req.Operation, KindBadInput, 0, err.Error(), nil, err)
	}
	var invalidate func()
	if c.Auth != nil {
		invalidate, err = c.Auth.Authorize(hr)
		if err != nil {
			cancel()
			return nil, nil, c.tokenError(ctx, err)
		}
	}
	start := time.Now()
	httpc := c.HTTP
	if httpc == nil {
		httpc = http.DefaultClient
	}
	_, span := startSpan(ctx, c.Source, req.Operation, hr)
	// Once the headers are written the upstream may act on the request:
	// from then on a failure leaves its outcome unknown.
	var sent atomic.Bool
	hr = hr.WithContext(httptrace.WithClientTrace(hr.Context(), &httptrace.ClientTrace{
		WroteHeaders: func() { sent.Store(true) },
	}))
	resp, err := httpc.Do(hr)
	if err != nil {
		cancel()
		observe(c.Source, req.Operation, 0, time.Since(start).Seconds())
		kind := classifyTransport(actx, err)
		ue := NewError(c.Source, req.Operation, kind, 0, transportMessage(kind), nil, stripURL(err))
		ue.Sent = sent.Load()
		ue.Unknown = ue.Sent && !req.Idempotent
		endSpan(span, 0, ue)
		return nil, nil, ue
	}
	endSpan(span, resp.StatusCode, nil)
	observe(c.Source, req.Operation, resp.StatusCode, time.Since(start).Seconds())
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, invalidate, nil
}

func (c *Client) build(ctx context.Context, req *Request) (*http.Request, error) {
	u := strings.TrimRight(c.BaseURL, "/") + req.Path
	if len(req.Query) > 0 {
		u += "?" + req.Query.Encode()
	}
	var body io.Reader
	var ctype string
	var mp *multipartBody
	switch {
	case req.JSON != nil:
		b, err := json.Marshal(req.JSON)
		if err != nil {
			return nil, err
		}
		body, ctype = bytes.NewReader(b), "application/json; charset=utf-8"
	case req.Form != nil:
		body, ctype = strings.NewReader(req.Form.Encode()), "application/x-www-form-urlencoded"
	case req.Multipart != nil:
		var err error
		if mp, err = req.Multipart.body(); err != nil {
			return nil, err
		}
		body, ctype = mp.reader(), mp.contentType
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, u, body)
	if err != nil {
		return nil, err
	}
	if mp != nil {
		// A reader of unknown size would go chunked, which not every
		// upstream takes.
		hr.ContentLength = int64(len(mp.head)) + mp.m.FileSize + int64(len(mp.tail))
		hr.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(mp.reader()), nil }
	}
	for k, vs := range req.Header {
		hr.Header[k] = vs
	}
	if ctype != "" {
		hr.Header.Set("Content-Type", ctype)
	}
	if hr.Header.Get("Accept") == "" {
		hr.Header.Set("Accept", "application/json")
	}
	return hr, nil
}

func (c *Client) finish(req *Request, resp *http.Response) (*Response, time.Duration, error) {
	defer resp.Body.Close()
	limit := c.MaxBody
	if limit == 0 {
		limit = DefaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		kind := KindUnavailable
		if errors.Is(err, context.DeadlineExceeded) {
			kind = KindTimeout
		}
		ue := NewError(c.Source, req.Operation, kind, resp.StatusCode, "reading the response: "+transportMessage(kind), nil, stripURL(err))
		ue.Sent = true
		// A success status whose body was lost: applied, answer unknown.
		ue.Unknown = !req.Idempotent
		return nil, 0, ue
	}
	if int64(len(body)) > limit {
		return nil, 0, NewError(c.Source, req.Operation, KindInvalidResponse, resp.StatusCode, fmt.Sprintf("response larger than %d bytes", limit), nil, nil)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, 0, nil
	}
	msg := ""
	if c.ErrorMessage != nil {
		msg = c.ErrorMessage(resp.StatusCode, body)
	}
	if msg == "" {
		msg = DescribeBody(resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	ue := NewError(c.Source, req.Operation, KindForStatus(resp.StatusCode), resp.StatusCode, msg, body, nil)
	ue.Sent = true
	return nil, retryAfter(resp.Header), ue
}

// tokenError turns a failure to obtain a token into an *Error.
func (c *Client) tokenError(ctx context.Context, err error) error {
	if ue, ok := AsError(err); ok {
		return ue
	}
	if status, msg, ok := retrieveError(err); ok {
		return NewError(c.Source, "token", KindForStatus(status), status, msg, nil, nil)
	}
	kind := classifyTransport(ctx, err)
	return NewError(c.Source, "token", kind, 0, transportMessage(kind), nil, stripURL(err))
}

// DescribeBody makes a short human message for an error answer that the
// source could not decode (an HTML error page, an empty body...).
func DescribeBody(status int, ctype string, body []byte) string {
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return http.StatusText(status)
	case strings.Contains(ctype, "html") || bytes.HasPrefix(trimmed, []byte("<")):
		return fmt.Sprintf("%s (HTML error page)", http.StatusText(status))
	default:
		return http.StatusText(status)
	}
}

func transportMessage(k Kind) string {
	if k == KindTimeout {
		return "timed out"
	}
	return "unreachable"
}

func retryable(ctx context.Context, e *Error) bool {
	// An open breaker answers at once; retrying it only adds the backoff.
	if ctx.Err() != nil || errors.Is(e, gobreaker.ErrOpenState) || errors.Is(e, gobreaker.ErrTooManyRequests) {
		return false
	}
	switch e.Status {
	case 0:
		return e.Kind == KindUnavailable || e.Kind == KindTimeout
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is full-jitter exponential backoff, at least what Retry-After asks.
func backoff(attempt int, after time.Duration) time.Duration {
	d := retryBase << attempt
	if d > retryCap {
		d = retryCap
	}
	d = time.Duration(rand.Int64N(int64(d)) + 1)
	if after > d {
		d = min(after, retryCap)
	}
	return d
}

func retryAfter(h http.Header) time.Duration {
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// stripURL drops the request URL from a *url.Error: URLs may carry tokens
// (Shop accepts ?token=) and never belong in an error shown to a client.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// Authenticate obtains credentials now (a token fetch for BearerAuth), so a
// configuration check tells refused credentials from an unreachable host
// without calling any endpoint.
func (c *Client) Authenticate(ctx context.Context) error {
	b, ok := c.Auth.(BearerAuth)
	if !ok {
		return nil
	}
	if _, _, err := b.Tokens.Token(); err != nil {
		return c.tokenError(ctx, err)
	}
	return nil
}
