package fake

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"switchboard/sources/internal/clock"
	"switchboard/sources/internal/fakekit"
)

// Defaults for the credentials the fake accepts.
const (
	DefaultClientID     = "switchboard"
	DefaultClientSecret = "shop-sandbox-secret"
	DefaultInterfaces   = 200
	// TokenTTL is the expires_in of the tokens it hands out.
	TokenTTL      = time.Hour
	deletionDelay = 90 * 24 * time.Hour
	dateLayout    = "2006-01-02 15:04:05"
	maxBody       = 1 << 20
)

// Interface statuses, as the API numbers them (for Keys).
const (
	StatusDeleted  = 0
	StatusActive   = 1
	StatusDisabled = 2
	StatusPending  = 3
)

// Options configure a fake.
type Options struct {
	ClientID     string // DefaultClientID when empty
	ClientSecret string // DefaultClientSecret when empty
	Seed         int64  // seeds the generated data
	Interfaces   int    // seeded interfaces; DefaultInterfaces when zero
	// Alternate serves the other plausible reading of the document where
	// its samples are cut off or ambiguous (see the package comment).
	Alternate bool
}

// Creation is what POST /interfaces received, for tests to inspect.
type Creation struct {
	Key         string // the sa_key answered
	GUID        string
	Prestations []string
	Client      map[string]string
	Subdomain   string
}

// Server is the fake API. It is an http.Handler.
type Server struct {
	Knobs *fakekit.Knobs
	// Now is the fake's clock; tests move it to expire tokens or reach a
	// scheduled deletion. It must be set before serving.
	Now func() time.Time

	id, secret string
	alternate  bool
	handler    http.Handler
	table      map[string]route

	mu        sync.Mutex
	rng       *mrand.Rand
	tokens    fakekit.Tokens
	prests    []prestation
	byCode    map[string]*prestation
	keys      []string
	ifaces    map[string]*iface
	guids     map[string]bool
	refs      map[string]bool
	creations []Creation
}

type iface struct {
	key, guid              string
	created                time.Time
	status                 int       // 1 or 3; deletion is layered on top by deletionAt
	deletionAt             time.Time // zero: no deletion requested
	url, adminURL, formURL string
	lines                  []*line
}

type line struct {
	code, ref   string
	created     time.Time
	cancelledAt time.Time // zero: not cancelled
	formURL     string
}

// New builds a fake seeded with opts.Interfaces interfaces and the catalogue.
func New(opts Options) *Server {
	s := &Server{
		Knobs: &fakekit.Knobs{}, Now: time.Now,
		id: opts.ClientID, secret: opts.ClientSecret, alternate: opts.Alternate,
		rng:    mrand.New(mrand.NewPCG(uint64(opts.Seed), 0x5409)),
		byCode: map[string]*prestation{},
		ifaces: map[string]*iface{}, guids: map[string]bool{}, refs: map[string]bool{},
	}
	if s.id == "" {
		s.id = DefaultClientID
	}
	if s.secret == "" {
		s.secret = DefaultClientSecret
	}
	s.prests = catalogue()
	for i := range s.prests {
		s.byCode[s.prests[i].Code] = &s.prests[i]
	}
	n := opts.Interfaces
	if n <= 0 {
		n = DefaultInterfaces
	}
	s.seed(n, time.Now())
	s.table = s.routes()
	s.handler = s.Knobs.Wrap(http.HandlerFunc(s.serve))
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Credentials are the client id and secret the fake accepts.
func (s *Server) Credentials() (clientID, clientSecret string) { return s.id, s.secret }

// ExpireTokens makes every token handed out so far invalid.
func (s *Server) ExpireTokens() { s.tokens.Expire() }

// FailNext makes the next n API calls (not /token) answer 500.
func (s *Server) FailNext(n int) { s.Knobs.FailNext(n) }

// Keys lists the interfaces whose current status is status (0 to 3).
func (s *Server) Keys(status int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, k := range s.keys {
		if s.statusOf(s.ifaces[k]) == status {
			out = append(out, k)
		}
	}
	return out
}

// Line is one copy of a prestation on an interface, for tests to compare.
type Line struct {
	Code, Reference string
	Cancelled       bool
}

// Lines lists every copy of every prestation of an interface.
func (s *Server) Lines(key string) []Line {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Line
	if it := s.ifaces[key]; it != nil {
		for _, l := range it.lines {
			out = append(out, Line{l.code, l.ref, !l.cancelledAt.IsZero()})
		}
	}
	return out
}

// ActiveCodes lists the codes of an interface's prestations that are not
// cancelled, one entry per copy.
func (s *Server) ActiveCodes(key string) []string {
	var out []string
	for _, l := range s.Lines(key) {
		if !l.Cancelled {
			out = append(out, l.Code)
		}
	}
	return out
}

// Creations returns what POST /interfaces accepted, in order.
func (s *Server) Creations() []Creation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.creations)
}

func (s *Server) statusOf(it *iface) int {
	switch {
	case it.deletionAt.IsZero():
		return it.status
	case s.Now().Before(it.deletionAt):
		return StatusDisabled
	}
	return StatusDeleted
}

func (s *Server) add(it *iface) {
	s.keys = append(s.keys, it.key)
	s.ifaces[it.key] = it
	s.guids[it.guid] = true
}

// addLine links a prestation to an interface under a fresh unique reference
// shaped like PHP's uniqid().
func (s *Server) addLine(it *iface, code string, at time.Time) *line {
	ref := fmt.Sprintf("%08x%05x", at.Unix(), s.rng.IntN(1<<20))
	for s.refs[ref] {
		ref = fmt.Sprintf("%08x%05x", at.Unix(), s.rng.IntN(1<<20))
	}
	s.refs[ref] = true
	l := &line{code: code, ref: ref, created: at}
	it.lines = append(it.lines, l)
	return l
}

// apiError is the seed's error body.
type apiError struct {
	status int
	msg    string
}

func fail(status int, format string, args ...any) *apiError {
	return &apiError{status, fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *apiError {
	return fail(http.StatusBadRequest, format, args...)
}

type handler func(r *http.Request, body []byte, p []string) (any, *apiError)

type route struct {
	name string
	h    handler
}

// routes maps "METHOD shape" to a handler; in a shape, path parameters are *.
func (s *Server) routes() map[string]route {
	return map[string]route{
		"GET token":                         {"token", s.token},
		"GET interfaces":                    {"interfaces", s.listInterfaces},
		"POST interfaces":                   {"create_interface", s.createInterface},
		"GET interfaces/*":                  {"interface", s.getInterface},
		"DELETE interfaces/*":               {"delete_interface", s.deleteInterface},
		"POST interfaces/*":                 {"reactivate_interface", s.reactivate},
		"GET interfaces/*/prestations":      {"interface_prestations", s.listLines},
		"POST interfaces/*/prestations":     {"add_prestations", s.addPrestations},
		"GET interfaces/*/prestations/*":    {"interface_prestation", s.getLines},
		"DELETE interfaces/*/prestations/*": {"cancel_prestation", s.cancel},
		"GET prestations":                   {"prestations", s.listCatalogue},
		"GET prestation/*":                  {"prestation", s.getPrestation},
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	var seg []string
	for _, x := range strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/") {
		u, err := url.PathUnescape(x)
		if err != nil {
			u = x
		}
		seg = append(seg, u)
	}
	shape := slices.Clone(seg)
	for i := 1; i < len(shape); i += 2 {
		shape[i] = "*"
	}
	rt, ok := s.table[r.Method+" "+strings.Join(shape, "/")]
	if !ok {
		s.Knobs.Count("unknown")
		writeError(w, badRequest("La route demandée n'est pas référencée"))
		return
	}
	s.Knobs.Count(rt.name)
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeError(w, badRequest("Requête malformée"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt.name != "token" {
		if e := s.authorize(r, body); e != nil {
			writeError(w, e)
			return
		}
		if s.Knobs.TakeFailure() {
			writeError(w, fail(http.StatusInternalServerError, "Une erreur inconnue est survenue"))
			return
		}
	}
	out, e := rt.h(r, body, seg)
	if e != nil {
		writeError(w, e)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	b, _ := json.Marshal(struct {
		Error   bool   `json:"error"`
		Message string `json:"message"`
	}{true, e.msg})
	_, _ = w.Write(b)
}

// authorize accepts the token from the header, the query or a JSON body.
func (s *Server) authorize(r *http.Request, body []byte) *apiError {
	tok := fakekit.Bearer(r)
	if tok == "" {
		tok = r.URL.Query().Get("token")
	}
	if tok == "" && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		var b struct {
			Token string `json:"token"`
		}
		_ = json.Unmarshal(body, &b)
		tok = b.Token
	}
	switch s.tokens.Check(tok, s.Now()) {
	case fakekit.TokenMissing:
		return fail(http.StatusUnauthorized, "Le jeton est manquant")
	case fakekit.TokenUnknown:
		return fail(http.StatusUnauthorized, "Le jeton est invalide")
	case fakekit.TokenExpired:
		return fail(http.StatusUnauthorized, "Le jeton a expiré")
	}
	return nil
}

func (s *Server) token(r *http.Request, body []byte, _ []string) (any, *apiError) {
	id, secret := r.URL.Query().Get("client_id"), r.URL.Query().Get("client_secret")
	if s.alternate {
		// Request data in JSON, as the document says of every request.
		var b struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
		}
		_ = json.Unmarshal(body, &b)
		id, secret = b.ClientID, b.ClientSecret
	}
	if id != s.id || secret != s.secret {
		return nil, fail(http.StatusUnauthorized, "Les identifiants ne sont pas valides")
	}
	tok := "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9." + randomB64(48) + "." + randomB64(32)
	s.tokens.Issue(tok, s.Now().Add(TokenTTL))
	return map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": int(TokenTTL / time.Second)}, nil
}

func randomB64(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Paris).Format(dateLayout)
}

func (s *Server) listInterfaces(*http.Request, []byte, []string) (any, *apiError) {
	return slices.Clone(s.keys), nil
}

func (s *Server) find(key string) (*iface, *apiError) {
	it := s.ifaces[key]
	if it == nil {
		return nil, badRequest("L'interface %s n'existe pas", key)
	}
	return it, nil
}

func (s *Server) getInterface(_ *http.Request, _ []byte, p []string) (any, *apiError) {
	it, e := s.find(p[1])
	if e != nil {
		return nil, e
	}
	st := s.statusOf(it)
	if s.alternate {
		// The key repeated, the status as a string, absent values null.
		return map[string]any{
			"cle_interface": it.key, "date_creation": date(it.created), "statut": strconv.Itoa(st),
			"url": orNull(it.url), "url_administration": orNull(it.adminURL),
			"url_formulaire":   orNull(map[bool]string{true: it.formURL}[st == StatusPending]),
			"date_suppression": orNull(date(it.deletionAt)),
		}, nil
	}
	out := struct {
		DateCreation      string `json:"date_creation"`
		Statut            int    `json:"statut"`
		URL               string `json:"url,omitempty"`
		URLAdministration string `json:"url_administration,omitempty"`
		URLFormulaire     string `json:"url_formulaire,omitempty"`
		DateSuppression   string `json:"date_suppression,omitempty"`
	}{date(it.created), st, it.url, it.adminURL, "", date(it.deletionAt)}
	if st == StatusPending {
		out.URLFormulaire = it.formURL
	}
	return out, nil
}

// orNull is nil for an empty string (the alternate reading sends null).
func orNull(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func (s *Server) createInterface(_ *http.Request, body []byte, _ []string) (any, *apiError) {
	var req struct {
		GUID        string            `json:"guid"`
		Prestations []string          `json:"prestations"`
		Client      map[string]string `json:"client"`
		SousDomaine string            `json:"sous_domaine"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, badRequest("Paramètres malformés")
	}
	switch {
	case req.GUID == "":
		return nil, badRequest("Le paramètre guid est requis")
	case s.guids[req.GUID]:
		return nil, badRequest("Une interface existe déjà pour le guid %s", req.GUID)
	case req.Client == nil:
		return nil, badRequest("Le paramètre client est requis")
	case req.Client["email"] == "":
		return nil, badRequest("Le paramètre client.email est requis")
	case req.Client["nom"] == "" && req.Client["societe"] == "":
		return nil, badRequest("Le paramètre client.nom ou client.societe est requis")
	}
	if e := s.checkCodes(req.Prestations, true); e != nil {
		return nil, e
	}
	now := s.Now().Truncate(time.Second)
	it := &iface{key: uuid(s.rng), guid: req.GUID, created: now, status: StatusPending}
	it.formURL = "https://formulaire.shop-application.io/projet/" + it.key
	for _, c := range req.Prestations {
		s.addLine(it, c, now)
	}
	s.add(it)
	s.creations = append(s.creations, Creation{Key: it.key, GUID: req.GUID, Prestations: req.Prestations, Client: req.Client, Subdomain: req.SousDomaine})
	return map[string]string{"sa_key": it.key}, nil
}

// checkAddition applies the ordering rules to an addition: a prestation
// already active on the interface satisfies an association.
func (s *Server) checkAddition(it *iface, codes []string) *apiError {
	var active []string
	for _, l := range it.lines {
		if l.cancelledAt.IsZero() {
			active = append(active, l.code)
		}
	}
	return s.checkCodes(codes, false, active...)
}

// checkCodes applies the ordering rules; setup says whether this is a
// creation; present are codes already active on the interface.
func (s *Server) checkCodes(codes []string, setup bool, present ...string) *apiError {
	if len(codes) == 0 {
		return badRequest("Le paramètre prestations est requis")
	}
	in := map[string]bool{}
	for _, c := range present {
		in[c] = true
	}
	setups := 0
	for _, c := range codes {
		if s.byCode[c] == nil {
			return badRequest("Le code prestation %s n'est pas valide", c)
		}
		in[c] = true
		if strings.HasPrefix(c, "IN-") && strings.HasSuffix(c, "-S") {
			setups++
		}
	}
	if setup && setups != 1 {
		return badRequest("Il doit y avoir une et une seule prestation de setup (IN-XXX-S)")
	}
	if !setup && setups > 0 {
		return badRequest("Il ne peut pas y avoir de prestation de setup (IN-XXX-S) lors d'un ajout")
	}
	for _, c := range codes {
		assoc := s.byCode[c].Associated
		if len(assoc) > 0 && !slices.ContainsFunc(assoc, func(a string) bool { return in[a] }) {
			return badRequest("La prestation %s ne peut pas être commandée seule : elle requiert une des prestations liées %s", c, strings.Join(assoc, ", "))
		}
	}
	return nil
}

func (s *Server) deleteInterface(_ *http.Request, _ []byte, p []string) (any, *apiError) {
	it, e := s.find(p[1])
	if e != nil {
		return nil, e
	}
	switch s.statusOf(it) {
	case StatusDisabled:
		return nil, badRequest("La suppression de l'interface a déjà été demandée")
	case StatusDeleted:
		return nil, badRequest("L'interface a été définitivement supprimée")
	}
	it.deletionAt = s.Now().Truncate(time.Second).Add(deletionDelay)
	return map[string]string{"date_suppression": date(it.deletionAt)}, nil
}

func (s *Server) reactivate(_ *http.Request, _ []byte, p []string) (any, *apiError) {
	it, e := s.find(p[1])
	if e != nil {
		return nil, e
	}
	switch s.statusOf(it) {
	case StatusDeleted:
		return nil, badRequest("L'interface a été définitivement supprimée et ne peut plus être réactivée")
	case StatusActive, StatusPending:
		return nil, badRequest("Aucune demande de suppression n'a été enregistrée pour cette interface")
	}
	it.deletionAt = time.Time{}
	return map[string]string{"date_reactivation": date(s.Now())}, nil
}

func (s *Server) listLines(_ *http.Request, _ []byte, p []string) (any, *apiError) {
	it, e := s.find(p[1])
	if e != nil {
		return nil, e
	}
	codes := []string{}
	for _, l := range it.lines {
		if s.alternate || !slices.Contains(codes, l.code) {
			codes = append(codes, l.code)
		}
	}
	return codes, nil
}

type lineJSON struct {
	Code            string `json:"code"`
	DateCreation    string `json:"date_creation"`
	Resilie         bool   `json:"resilie"`
	DateResiliation string `json:"date_resiliation"`
	ReferenceUnique string `json:"reference_unique"`
	URLFormulaire   string `json:"url_formulaire,omitempty"`
}

type linkJSON struct {
	Code            string `json:"code"`
	ReferenceUnique string `json:"reference_unique"`
	URLFormulaire   string `json:"url_formulaire,omitempty"`
}

func (s *Server) getLines(_ *http.Request, _ []byte, p []string) (any, *apiError) {
	it, e := s.find(p[1])
	if e != nil {
		return nil, e
	}
	var out []any
	for _, l := range it.lines {
		switch {
		case l.code != p[3]:
		case s.alternate:
			// resilie as 0/1, no date as null.
			out = append(out, map[string]any{"code": l.code, "date_creation": date(l.created),
				"resilie": map[bool]int{true: 1}[!l.cancelledAt.IsZero()], "date_resiliation": orNull(date(l.cancelledAt)),
				"reference_unique": l.ref, "url_formulaire": orNull(l.formURL)})
		default:
			out = append(out, lineJSON{l.code, date(l.created), !l.cancelledAt.IsZero(), date(l.cancelledAt), l.ref, l.formURL})
		}
	}
	if out == nil {
		return nil, badRequest("La prestation %s n'existe pas sur l'interface", p[3])
	}
	return out, nil
}

func (s *Server) addPrestations(_ *http.Request, body []byte, p []string) (any, *apiError) {
	it, e := s.find(p[1])
	if e != nil {
		return nil, e
	}
	var codes []string
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
		if err := json.Unmarshal(body, &codes); err != nil {
			return nil, badRequest("Paramètres malformés")
		}
	} else {
		var req struct {
			Prestations []string `json:"prestations"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, badRequest("Paramètres malformés")
		}
		codes = req.Prestations
	}
	if st := s.statusOf(it); st != StatusActive && st != StatusPending {
		return nil, badRequest("L'interface n'est pas active : aucune prestation ne peut y être ajoutée")
	}
	if e := s.checkAddition(it, codes); e != nil {
		return nil, e
	}
	now := s.Now().Truncate(time.Second)
	out := []linkJSON{}
	for _, c := range codes {
		l := s.addLine(it, c, now)
		if s.byCode[c].form {
			l.formURL = "https://formulaire.shop-application.io/module/" + l.ref
		}
		out = append(out, linkJSON{l.code, l.ref, l.formURL})
	}
	return out, nil
}

func (s *Server) cancel(_ *http.Request, _ []byte, p []string) (any, *apiError) {
	it, e := s.find(p[1])
	if e != nil {
		return nil, e
	}
	if s.statusOf(it) == StatusDeleted {
		return nil, badRequest("L'interface a été définitivement supprimée")
	}
	target, found := p[3], false
	out := []linkJSON{}
	now := s.Now().Truncate(time.Second)
	for _, l := range it.lines {
		if l.code != target && l.ref != target {
			continue
		}
		found = true
		if l.cancelledAt.IsZero() {
			l.cancelledAt = now
			out = append(out, linkJSON{Code: l.code, ReferenceUnique: l.ref})
		}
	}
	switch {
	case !found:
		return nil, badRequest("La prestation %s n'existe pas sur l'interface", target)
	case len(out) == 0:
		return nil, badRequest("La prestation %s est déjà résiliée", target)
	}
	return out, nil
}

func (s *Server) listCatalogue(*http.Request, []byte, []string) (any, *apiError) {
	codes := make([]string, len(s.prests))
	for i, p := range s.prests {
		codes[i] = p.Code
	}
	return codes, nil
}

func (s *Server) getPrestation(_ *http.Request, _ []byte, p []string) (any, *apiError) {
	pr := s.byCode[p[1]]
	if pr == nil {
		return nil, badRequest("La prestation %s n'existe pas", p[1])
	}
	assoc := pr.Associated
	if s.alternate {
		// No code (the document's table lists none), the price as a
		// string, no associated prestation as null.
		out := map[string]any{"nom": pr.Name, "descriptif_court": pr.Short, "descriptif_long": pr.Long,
			"prix": strconv.FormatFloat(pr.Price, 'f', 2, 64), "prestations_associees": assoc}
		return out, nil
	}
	if assoc == nil {
		assoc = []string{}
	}
	return map[string]any{
		"code": pr.Code, "nom": pr.Name, "descriptif_court": pr.Short, "descriptif_long": pr.Long,
		"prix": pr.Price, "prestations_associees": assoc,
	}, nil
}
