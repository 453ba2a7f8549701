// Package fake simulates a Gravitel virtual PBX domain per its seed: the
// login and crm_api endpoints we call, and a Driver side that plays calls
// against the CRM webhook registered at login (cmd=contact, event, history).
//
// Faithful to the seed: form-encoded requests; {"token":"…"} on login;
// 401 {"error":"Autorization failed"} for bad admin credentials;
// 400 {"error":"Invalid parameters"} and 401 {"error":"Invalid token"} on
// crm_api; makeCall answers 200 with an empty body; accounts answers a JSON
// array of {"name","realName"}. Tokens never expire on their own;
// ExpireTokens forgets them all.
//
// Knobs counts every request received, by route ("login", "makeCall",
// "accounts", or "crm_api" for an unknown cmd), including those the knobs
// fault with a 503, so tests can assert how often a client tried.
//
// The seed leaves room for other readings, which Options select so that
// tests run the client against each: the accounts list wrapped in an
// object (AccountsEnvelope), a makeCall answer with a body (MakeCallBody),
// histories with only the documented parameters (SeedHistoryOnly: no start,
// no status), phones written "+7910…" (PlusPhones). DownAtStart makes every
// request answer 503 until Knobs.SetDown(false), as a PBX that is down when
// the CRM starts.
package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"switchboard/sources/internal/clock"
	"switchboard/sources/internal/fakekit"
)

// Options configures a Server.
type Options struct {
	Login    string // admin login accepted; "admin" when empty
	Password string // admin password accepted; "pass" when empty
	Seed     int64  // seeds every random choice (tokens, call ids, scenarios)
	// WebhookURL and CRMToken, when set, override what login registered:
	// the Driver then needs no login to play calls.
	WebhookURL string
	CRMToken   string
	// HTTP is the client the Driver posts to the webhook with.
	HTTP *http.Client
	// StepDelay separates the steps of a played call (zero in tests).
	StepDelay time.Duration
	// NoAutoOutbound stops makeCall from playing the outbound call it
	// started (by default it does, after OutboundDelay).
	NoAutoOutbound bool
	OutboundDelay  time.Duration

	// ExampleUsers and ExamplePhones are who a demo's documented queries
	// ask about: every other call RunScenarios plays, starting with the
	// first, is an incoming call from the next of ExamplePhones to the
	// next of ExampleUsers (with no example phones, a random phone; with
	// no example users, the contact's responsible or a random account).
	ExampleUsers  []string
	ExamplePhones []string
	// FirstScenario is how long RunScenarios waits before its first call;
	// its interval when zero.
	FirstScenario time.Duration

	// DownAtStart starts the fake answering 503 to everything, until
	// Knobs.SetDown(false).
	DownAtStart bool
	// AccountsEnvelope answers cmd=accounts with {"accounts":[…]} rather
	// than the seed's bare array.
	AccountsEnvelope bool
	// MakeCallBody is the body of makeCall's 200 answer; empty as the seed
	// shows (its table gives only "ОК"), e.g. "OK" or {"result":"ok"}.
	MakeCallBody string
	// SeedHistoryOnly sends histories with the seed's parameters only:
	// no start and no status, which the seed's truncated example may or
	// may not have held.
	SeedHistoryOnly bool
	// PlusPhones writes phones (and diversion) as "+" and E.164 digits in
	// what the Driver sends, as "string / E164" also reads.
	PlusPhones bool
}

// Account is a PBX account, as cmd=accounts lists it.
type Account struct {
	Name     string `json:"name"`
	RealName string `json:"realName"`
}

// Registration is what the last successful login stored.
type Registration struct {
	CRMCode    string
	CRMToken   string
	WebhookURL string
	SelfMap    bool
}

// MakeCall is one makeCall the fake accepted.
type MakeCall struct {
	Phone string
	User  string
	At    time.Time
}

// Server is the fake PBX. Its zero value is not usable; use New.
type Server struct {
	Knobs *fakekit.Knobs
	// Accounts is the seeded account list; change it before serving.
	Accounts []Account

	opts    Options
	handler http.Handler
	httpc   *http.Client

	mu        sync.Mutex
	rng       *rand.Rand
	tokens    fakekit.Tokens
	reg       Registration
	makeCalls []MakeCall
	sent      map[string][]url.Values // per call id, what the Driver posted

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds a fake PBX.
func New(opts Options) *Server {
	if opts.Login == "" {
		opts.Login = "admin"
	}
	if opts.Password == "" {
		opts.Password = "pass"
	}
	s := &Server{
		Knobs: &fakekit.Knobs{},
		Accounts: []Account{
			{Name: "daria", RealName: "Дарья Смирнова"},
			{Name: "andy", RealName: "Андрей Кузнецов"},
			{Name: "mike", RealName: "Michel Durand"},
			{Name: "serg", RealName: "Сергей Иванов"},
			{Name: "claire", RealName: "Claire Martin"},
			{Name: "test", RealName: "Тестовый аккаунт"},
		},
		opts:  opts,
		rng:   rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15)),
		httpc: opts.HTTP,
	}
	if s.httpc == nil {
		s.httpc = &http.Client{Timeout: 10 * time.Second}
	}
	s.Knobs.SetDown(opts.DownAtStart)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	mux := http.NewServeMux()
	mux.HandleFunc("POST /sys/api_login.wcgp", s.login)
	mux.HandleFunc("POST /sys/crm_api.wcgp", s.crmAPI)
	s.handler = s.Knobs.Wrap(mux)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The form is parsed here, before the knobs, so that faulted calls are
	// counted by command too.
	_ = r.ParseForm()
	switch r.URL.Path {
	case "/sys/api_login.wcgp":
		s.Knobs.Count("login")
	case "/sys/crm_api.wcgp":
		switch cmd := r.PostForm.Get("cmd"); cmd {
		case "makeCall", "accounts":
			s.Knobs.Count(cmd)
		default:
			s.Knobs.Count("crm_api")
		}
	}
	s.handler.ServeHTTP(w, r)
}

// Close stops the outbound calls makeCall started and waits for them.
func (s *Server) Close() {
	s.cancel()
	s.wg.Wait()
}

// Credentials are the admin login and password the fake accepts.
func (s *Server) Credentials() (login, password string) { return s.opts.Login, s.opts.Password }

// ExpireTokens forgets every issued token: the next crm_api call answers
// 401 Invalid token.
func (s *Server) ExpireTokens() { s.tokens.Expire() }

// Forget forgets every token and the registered webhook, as a PBX
// restored from an old backup or reconfigured by hand does: crm_api
// answers 401 Invalid token and no call reaches the CRM until it logs in.
func (s *Server) Forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens.Expire()
	s.reg = Registration{}
}

// Registration is what the last successful login stored.
func (s *Server) Registration() Registration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reg
}

// MakeCalls lists the accepted makeCall requests, oldest first.
func (s *Server) MakeCalls() []MakeCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]MakeCall(nil), s.makeCalls...)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	login, password := f.Get("login"), f.Get("password")
	if f.Get("crm_code") == "" || f.Get("crm_token") == "" || f.Get("url") == "" || login == "" || password == "" {
		writeError(w, http.StatusBadRequest, "Invalid parameters")
		return
	}
	if login != s.opts.Login || password != s.opts.Password {
		writeError(w, http.StatusUnauthorized, "Autorization failed")
		return
	}
	s.mu.Lock()
	tok := s.uuidLocked()
	s.tokens.Issue(tok, time.Time{})
	_, selfMap := f["self_map"]
	s.reg = Registration{CRMCode: f.Get("crm_code"), CRMToken: f.Get("crm_token"), WebhookURL: f.Get("url"), SelfMap: selfMap && f.Get("self_map") != "false"}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"token": tok})
}

func (s *Server) crmAPI(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	if !s.tokens.Valid(f.Get("token"), time.Now()) {
		writeError(w, http.StatusUnauthorized, "Invalid token")
		return
	}
	switch f.Get("cmd") {
	case "accounts":
		if s.opts.AccountsEnvelope {
			writeJSON(w, http.StatusOK, map[string][]Account{"accounts": s.Accounts})
			return
		}
		writeJSON(w, http.StatusOK, s.Accounts)
	case "makeCall":
		phone, user := f.Get("phone"), f.Get("user")
		if !e164Digits(phone) || !s.knownUser(user) {
			writeError(w, http.StatusBadRequest, "Invalid parameters")
			return
		}
		s.mu.Lock()
		s.makeCalls = append(s.makeCalls, MakeCall{Phone: phone, User: user, At: time.Now()})
		answered := s.rng.IntN(10) < 7
		s.mu.Unlock()
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(s.opts.MakeCallBody))
		if !s.opts.NoAutoOutbound {
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				if clock.Sleep(s.ctx, s.opts.OutboundDelay) == nil {
					_, _ = s.PlayOutbound(s.ctx, phone, user, answered)
				}
			}()
		}
	default:
		writeError(w, http.StatusBadRequest, "Invalid parameters")
	}
}

// knownUser accepts a PBX account name; without self_map the PBX would map
// a CRM user id to an account, which the fake does by accepting any
// non-empty id.
func (s *Server) knownUser(u string) bool {
	if u == "" {
		return false
	}
	if !s.Registration().SelfMap {
		return true
	}
	for _, a := range s.Accounts {
		if a.Name == u {
			return true
		}
	}
	return false
}

func e164Digits(p string) bool {
	if len(p) < 8 || len(p) > 15 || p[0] == '0' {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (s *Server) uuidLocked() string {
	a, b := s.rng.Uint64(), s.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
