package fake

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"

	"switchboard/sources/internal/fakekit"
)

// Defaults and constants of the fake.
const (
	DefaultClientID     = "sybelles_crm"
	DefaultClientSecret = "msem-sandbox-secret"
	TokenPath           = "/api/oauth/token"
	NotificationPath    = "/api/crm/crm-to-msem/notification"
	// TokenTTL is the lifetime the seed shows (expires_in: 3599).
	TokenTTL = 3599 * time.Second
	maxBody  = 1 << 20
)

// Options configure a fake.
type Options struct {
	ClientID     string // DefaultClientID when empty
	ClientSecret string // DefaultClientSecret when empty
	// Channels are the channels the account may notify on; empty accepts
	// any. Another channel is refused with 400 "channel must be one of ...".
	Channels []string
	// Alternate serves the other reading of the document: the token
	// endpoint authenticates the client by HTTP Basic only (RFC 6749's
	// preferred style; client_id/client_secret in the form are refused) and
	// the echo carries customer ids as strings ("1581190").
	Alternate bool
}

// Operation is one received operation, its value kept as sent.
type Operation struct {
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

// Notification is one applied notification.
type Notification struct {
	Channel        string      `json:"channel"`
	Operations     []Operation `json:"operations"`
	IdempotencyKey string      `json:"-"`
	ReceivedAt     time.Time   `json:"-"`
}

// Server is the fake MseM.
type Server struct {
	Knobs *fakekit.Knobs
	// Now is the fake's clock (token expiry); set it before serving.
	Now func() time.Time

	id, secret           string
	channels             []string
	alternate            bool
	auth, services, both http.Handler

	tokens   fakekit.Tokens
	mu       sync.Mutex
	received []Notification
	done     map[string]stored // by Idempotency-Key
	lose     int
}

type stored struct {
	hash [32]byte
	body []byte
}

// New builds a fake accepting opts' credentials.
func New(opts Options) *Server {
	s := &Server{Knobs: &fakekit.Knobs{}, Now: time.Now, id: opts.ClientID, secret: opts.ClientSecret,
		channels: slices.Clone(opts.Channels), alternate: opts.Alternate,
		done: map[string]stored{}}
	if s.id == "" {
		s.id = DefaultClientID
	}
	if s.secret == "" {
		s.secret = DefaultClientSecret
	}
	s.auth = s.Knobs.Wrap(http.HandlerFunc(s.serveAuth))
	s.services = s.Knobs.Wrap(http.HandlerFunc(s.serveServices))
	s.both = s.Knobs.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == TokenPath {
			s.serveAuth(w, r)
			return
		}
		s.serveServices(w, r)
	}))
	return s
}

// ServeHTTP serves both the auth and the services paths.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.both.ServeHTTP(w, r) }

// AuthHandler serves the OAuth2 server (auth.msem.tech).
func (s *Server) AuthHandler() http.Handler { return s.auth }

// ServicesHandler serves the notification service (services.msem.tech).
func (s *Server) ServicesHandler() http.Handler { return s.services }

// Credentials are the client id and secret the fake accepts.
func (s *Server) Credentials() (clientID, clientSecret string) { return s.id, s.secret }

// ExpireTokens makes every token handed out so far invalid.
func (s *Server) ExpireTokens() { s.tokens.Expire() }

// FailNext makes the next n notification calls answer 500 without applying.
func (s *Server) FailNext(n int) { s.Knobs.FailNext(n) }

// LoseResponses makes the next n accepted notifications be applied and then
// answered 503, as when an answer is lost on the way back.
func (s *Server) LoseResponses(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lose = n
}

// Received returns the notifications applied so far, in order.
func (s *Server) Received() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.received)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// nestError writes the services' error body.
func nestError(w http.ResponseWriter, status int, msg any) {
	writeJSON(w, status, map[string]any{"statusCode": status, "message": msg, "error": http.StatusText(status)})
}

func (s *Server) serveAuth(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != TokenPath || r.Method != http.MethodPost {
		s.Knobs.Count("unknown")
		nestError(w, http.StatusNotFound, fmt.Sprintf("Cannot %s %s", r.Method, r.URL.Path))
		return
	}
	s.Knobs.Count("token")
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	// The document shows the credentials in the form; the alternate reading
	// takes them from HTTP Basic only.
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if s.alternate {
		id, secret, _ = r.BasicAuth()
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	case id != s.id || secret != s.secret:
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		return
	case r.PostForm.Get("scope") != "" && r.PostForm.Get("scope") != "all":
		oauthError(w, http.StatusBadRequest, "invalid_scope", "the requested scope is invalid")
		return
	}
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	s.tokens.Issue(tok, s.Now().Add(TokenTTL))
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(TokenTTL / time.Second), "scope": "all"})
}

func (s *Server) serveServices(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != NotificationPath || r.Method != http.MethodPost {
		s.Knobs.Count("unknown")
		nestError(w, http.StatusNotFound, fmt.Sprintf("Cannot %s %s", r.Method, r.URL.Path))
		return
	}
	s.Knobs.Count("notification")
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		nestError(w, http.StatusBadRequest, "unreadable body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.tokens.Valid(fakekit.Bearer(r), s.Now()) {
		nestError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if s.Knobs.TakeFailure() {
		nestError(w, http.StatusInternalServerError, "Internal server error")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if prev, ok := s.done[key]; key != "" && ok {
		if prev.hash != sha256.Sum256(body) {
			nestError(w, http.StatusUnprocessableEntity, "Idempotency-Key already used with a different payload")
			return
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(prev.body)
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		nestError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	n, problems := parse(body)
	if len(s.channels) > 0 && n.Channel != "" && !slices.Contains(s.channels, n.Channel) {
		problems = append(problems, "channel must be one of the following values: "+strings.Join(s.channels, ", "))
	}
	if len(problems) > 0 {
		nestError(w, http.StatusBadRequest, problems)
		return
	}
	n.IdempotencyKey, n.ReceivedAt = key, s.Now()
	s.received = append(s.received, n)
	out, _ := json.Marshal(s.echo(n))
	if key != "" {
		s.done[key] = stored{sha256.Sum256(body), out}
	}
	if s.lose > 0 {
		s.lose--
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body><h1>503 Service Unavailable</h1></body></html>")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(out)
}

// echo is the answer to an accepted notification: what was received, with
// customer ids as strings under the alternate reading.
func (s *Server) echo(n Notification) Notification {
	if !s.alternate {
		return n
	}
	out := n
	out.Operations = make([]Operation, len(n.Operations))
	for i, op := range n.Operations {
		out.Operations[i] = op
		if op.Type != "CreateCustomer" && op.Type != "UpdateCustomer" {
			continue
		}
		var v map[string]any
		d := json.NewDecoder(bytes.NewReader(op.Value))
		d.UseNumber()
		if d.Decode(&v) == nil {
			v["id"] = fmt.Sprint(v["id"])
			out.Operations[i].Value, _ = json.Marshal(v)
		}
	}
	return out
}

// parse validates a notification body, returning class-validator-like messages.
func parse(body []byte) (Notification, []string) {
	var n Notification
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) || json.Unmarshal(body, &n) != nil {
		return n, []string{"body must be a JSON object {channel, operations}"}
	}
	var p []string
	if strings.TrimSpace(n.Channel) == "" {
		p = append(p, "channel should not be empty")
	}
	if len(n.Operations) == 0 {
		p = append(p, "operations should not be empty")
	}
	for i, op := range n.Operations {
		at := fmt.Sprintf("operations.%d", i)
		switch op.Type {
		case "CreateCustomer", "UpdateCustomer":
			var c struct {
				ID        json.Number `json:"id"`
				Lastname  *string     `json:"lastname"`
				Firstname *string     `json:"firstname"`
				Email     *string     `json:"email"`
			}
			if !bytes.HasPrefix(bytes.TrimSpace(op.Value), []byte("{")) || json.Unmarshal(op.Value, &c) != nil {
				p = append(p, at+".value must be a customer object")
				continue
			}
			if id, err := c.ID.Int64(); err != nil || id <= 0 {
				p = append(p, at+".value.id must be a positive integer")
			}
			if c.Lastname == nil || strings.TrimSpace(*c.Lastname) == "" {
				p = append(p, at+".value.lastname should not be empty")
			}
			if c.Firstname == nil || strings.TrimSpace(*c.Firstname) == "" {
				p = append(p, at+".value.firstname should not be empty")
			}
			if c.Email == nil || !validEmail(*c.Email) {
				p = append(p, at+".value.email must be an email")
			}
		case "CreateOrder", "UpdateOrder":
			var o map[string]any
			if json.Unmarshal(op.Value, &o) != nil || o == nil {
				p = append(p, at+".value must be an order object")
				continue
			}
			if id, _ := o["id"].(string); id == "" {
				if _, isNum := o["id"].(float64); !isNum {
					p = append(p, at+".value.id should not be empty")
				}
			}
			if _, ok := o["customerId"].(float64); op.Type == "CreateOrder" && !ok {
				p = append(p, at+".value.customerId must be an integer")
			}
		default:
			p = append(p, at+".type must be one of CreateCustomer, UpdateCustomer, CreateOrder, UpdateOrder")
		}
	}
	return n, p
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}
