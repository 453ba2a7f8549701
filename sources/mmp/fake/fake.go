// Package fake simulates the MMP Vision 360 API (seed 001) for tests,
// sandbox mode and benchmarks: the password-grant token endpoint (JSON
// and/or form body, 7200 s tokens), the vehicle services, the network
// services (campaign customers, blacklist JSON/CSV, ZIP upload), MMP's
// {success, data, message, errors} envelopes and error bodies.
//
// It writes its JSON from the seed document with its own types (types.go),
// never the client's. Where the seed's samples are cut off, Options.Reading
// picks the names: the document's style or the other plausible reading
// (see Reading), so the client is tested against both.
//
// Data is generated deterministically from Options.Seed: the seed
// document's examples (ABC123, DEF123, points of sale 920150, 6768ZED and
// 417728CZ), AB123CD, FullPlate (every field filled) and a fleet of
// Options.Vehicles more vehicles. Each
// served call is counted in Knobs under its service name: "token",
// "import-client", "client", "historiques", "previsions",
// "import-factures", "factures", "relances", "vision360",
// "campagnes-clients", "blacklist" and "clients-factures".
package fake

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/sources/internal/fakekit"
)

// Defaults for Options fields left empty.
const (
	DefaultClientID     = "2"
	DefaultClientSecret = "fake-mmp-client-secret"
	DefaultUsername     = "api@switchboard.test"
	DefaultPassword     = "fake-mmp-password"
	DefaultVersion      = "v1"
	DefaultNetwork      = "trif"
	DefaultVehicles     = 1000
)

// TokenLifetime is how long an issued token is accepted (seed: 7200 s).
const TokenLifetime = 7200 * time.Second

// PerPage is the page size of campagnes-clients, in customers.
const PerPage = 20

// Options configures a fake. Zero fields take the defaults above.
type Options struct {
	ClientID     string
	ClientSecret string
	Username     string
	Password     string
	Version      string
	Network      string
	Seed         int64
	Vehicles     int // generated vehicles besides the seed's examples
	// Reading picks the names of the fields the seed cuts off (see
	// Reading); the zero value is the document's.
	Reading Reading
	// TokenBody is what the token endpoint accepts; the zero value is
	// both JSON and form for DocumentReading, JSON only for OtherReading.
	TokenBody TokenBody
}

// TokenBody is the body the token endpoint accepts.
type TokenBody int

// The token bodies.
const (
	TokenDefault TokenBody = iota // per Reading
	TokenJSONOrForm
	TokenJSONOnly
	TokenFormOnly // as a server reading only form parameters (Passport's own default)
)

// Upload is one clients-factures request the fake received.
type Upload struct {
	OrganizationID string
	Filename       string
	Size           int
	Files          []string // entry names, when the file is a ZIP
	Accepted       bool
	Message        string
}

// Server is the fake MMP API.
type Server struct {
	Knobs *fakekit.Knobs
	// Now is the fake's clock, used for token expiry. Set it before serving.
	Now func() time.Time

	opts    Options
	data    *store
	handler http.Handler

	jsonTokens, formTokens atomic.Int32

	tokens  fakekit.Tokens
	mu      sync.Mutex
	uploads []Upload
}

// New builds a fake with its data.
func New(opts Options) *Server {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&opts.ClientID, DefaultClientID)
	def(&opts.ClientSecret, DefaultClientSecret)
	def(&opts.Username, DefaultUsername)
	def(&opts.Password, DefaultPassword)
	def(&opts.Version, DefaultVersion)
	def(&opts.Network, DefaultNetwork)
	if opts.Vehicles <= 0 {
		opts.Vehicles = DefaultVehicles
	}
	if opts.TokenBody == TokenDefault {
		opts.TokenBody = TokenJSONOrForm
		if opts.Reading == OtherReading {
			opts.TokenBody = TokenJSONOnly
		}
	}
	s := &Server{
		Knobs: &fakekit.Knobs{},
		Now:   time.Now,
		opts:  opts,
		data:  newStore(opts.Seed, opts.Vehicles),
	}
	s.handler = s.Knobs.Wrap(http.HandlerFunc(s.route))
	return s
}

// Options returns the effective options (credentials the fake accepts,
// version and network of its paths).
func (s *Server) Options() Options { return s.opts }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// TokenRequests counts the token requests received by body: JSON, form.
func (s *Server) TokenRequests() (json, form int) {
	return int(s.jsonTokens.Load()), int(s.formTokens.Load())
}

// ExpireTokens makes every token issued so far be refused with 401.
func (s *Server) ExpireTokens() { s.tokens.Expire() }

// Plates lists the known plates: ABC123, DEF123, AB123CD, FullPlate, then the fleet.
func (s *Server) Plates() []string { return slices.Clone(s.data.plates) }

// CustomerPhones lists the mobile and landline phones of plate's customers
// as stored (national form, e.g. 0612345678), for a sandbox PBX to ring the
// customers a demo shows; nil for an unknown plate.
func (s *Server) CustomerPhones(plate string) []string {
	v := s.data.vehicles[normalize(plate)]
	if v == nil {
		return nil
	}
	var out []string
	for _, c := range v.Customers {
		for _, p := range []string{c.Mobile, c.Phone} {
			if p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// PointsOfSale lists the points of sale that have campaign customers.
func (s *Server) PointsOfSale() []string {
	var out []string
	for _, m := range members {
		out = append(out, m.pos)
	}
	return out
}

// Uploads returns what clients-factures received, accepted or not.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.uploads)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(p) < 2 || p[0] != "api" {
		s.notFound(w, r)
		return
	}
	if len(p) == 4 && p[1] == s.opts.Version && p[2] == "service-authentification" && p[3] == "token" {
		s.Knobs.Count("token")
		s.token(w, r)
		return
	}
	var rest []string
	switch {
	case len(p) > 4 && p[1] == s.opts.Version && p[2] == s.opts.Network && p[3] == "service-external-client":
		rest = p[4:]
	case len(p) == 6 && p[1] == s.opts.Network && p[2] == "service-external-client" && p[5] == "campagnes-clients":
		// The seed's campagnes-clients path has no version; both are served.
		rest = p[3:]
	default:
		s.notFound(w, r)
		return
	}
	switch {
	case len(rest) == 2 && rest[0] == "vehicule" && vehicleServices[rest[1]] != nil:
		s.serve(w, r, rest[1], http.MethodPost, func() { s.vehicle(w, r, rest[1]) })
	case len(rest) == 3 && rest[0] == "adherents" && rest[1] == "relance-clients" && rest[2] == "blacklist":
		s.serve(w, r, "blacklist", http.MethodGet, func() { s.blacklist(w, r) })
	case len(rest) == 3 && rest[0] == "adherents" && rest[2] == "campagnes-clients":
		s.serve(w, r, "campagnes-clients", http.MethodGet, func() { s.campaignCustomers(w, r, rest[1]) })
	case len(rest) == 2 && rest[0] == "import-fichier" && rest[1] == "clients-factures":
		s.serve(w, r, "clients-factures", http.MethodPost, func() { s.upload(w, r) })
	default:
		s.notFound(w, r)
	}
}

// serve counts the call, then checks the method and the bearer token.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, name, method string, h func()) {
	s.Knobs.Count(name)
	if r.Method != method {
		w.Header().Set("Allow", method)
		s.refuse(w, http.StatusMethodNotAllowed, msg(r, "Method not allowed", "Méthode non autorisée"), nil)
		return
	}
	if !s.tokens.Valid(fakekit.Bearer(r), s.Now()) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, TokenError{
			Error:            "access_denied",
			ErrorDescription: "The resource owner or authorization server denied the request.",
			Message:          "Unauthenticated.",
		})
		return
	}
	h()
}

// token is the password grant. The seed shows a JSON body; OAuth2 clients
// send a form: Options.TokenBody says which are accepted. Refusals follow
// Laravel Passport, which the seed's {error, error_description, message}
// body comes from: a server that reads only forms finds no grant_type in a
// JSON body.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, TokenError{Error: "invalid_request",
			ErrorDescription: "The token endpoint only accepts POST.", Message: "Method not allowed"})
		return
	}
	var req TokenRequest
	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	isJSON := ctype == "application/json"
	if isJSON {
		s.jsonTokens.Add(1)
	} else {
		s.formTokens.Add(1)
	}
	switch {
	case !isJSON && s.opts.TokenBody == TokenJSONOnly:
		const d = "The request body must be a JSON payload."
		writeJSON(w, http.StatusUnsupportedMediaType, TokenError{Error: "invalid_request", ErrorDescription: d, Message: d})
		return
	case isJSON && s.opts.TokenBody == TokenFormOnly:
		const d = "The authorization grant type is not supported by the authorization server."
		writeJSON(w, http.StatusBadRequest, TokenError{Error: "unsupported_grant_type", ErrorDescription: d, Message: d})
		return
	}
	if isJSON {
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, TokenError{Error: "invalid_request",
				ErrorDescription: "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.",
				Message:          "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed."})
			return
		}
	} else {
		if err := r.ParseForm(); err != nil {
			writeJSON(w, http.StatusBadRequest, TokenError{Error: "invalid_request",
				ErrorDescription: "Malformed form body.", Message: "Malformed form body."})
			return
		}
		req = TokenRequest{GrantType: r.PostForm.Get("grant_type"), ClientID: r.PostForm.Get("client_id"),
			ClientSecret: r.PostForm.Get("client_secret"), Username: r.PostForm.Get("username"), Password: r.PostForm.Get("password")}
	}
	switch {
	case req.GrantType != "password":
		const d = "The authorization grant type is not supported by the authorization server."
		writeJSON(w, http.StatusBadRequest, TokenError{Error: "unsupported_grant_type", ErrorDescription: d, Message: d})
		return
	case req.ClientID != s.opts.ClientID || req.ClientSecret != s.opts.ClientSecret:
		const d = "Client authentication failed"
		writeJSON(w, http.StatusUnauthorized, TokenError{Error: "invalid_client", ErrorDescription: d, Message: d})
		return
	case req.Username != s.opts.Username || req.Password != s.opts.Password:
		const d = "The user credentials were incorrect."
		writeJSON(w, http.StatusBadRequest, TokenError{Error: "invalid_grant", ErrorDescription: d, Message: d})
		return
	}
	tok := rand.Text() + rand.Text()
	s.tokens.Issue(tok, s.Now().Add(TokenLifetime))
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":    "Bearer",
		"expires_in":    int(TokenLifetime / time.Second),
		"access_token":  tok,
		"refresh_token": rand.Text(),
	})
}

// vehicleServices picks each service's part of a vehicle's data.
var vehicleServices = map[string]func(*Vision360) any{
	"import-client":   func(v *Vision360) any { return v.RawCustomers },
	"client":          func(v *Vision360) any { return v.Customers },
	"historiques":     func(v *Vision360) any { return v.Operations },
	"previsions":      func(v *Vision360) any { return v.Forecasts },
	"import-factures": func(v *Vision360) any { return v.RawInvoiceLines },
	"factures":        func(v *Vision360) any { return v.Invoices },
	"relances":        func(v *Vision360) any { return v.Reminders },
	"vision360":       func(v *Vision360) any { return v },
}

func (s *Server) vehicle(w http.ResponseWriter, r *http.Request, name string) {
	var req map[string]any
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		s.refuse(w, http.StatusBadRequest, msg(r, "Invalid JSON payload", "Corps JSON invalide"),
			map[string][]string{"body": {msg(r, "The request body must be valid JSON.", "Le corps de la requête doit être un JSON valide.")}})
		return
	}
	plate, _ := req["immatriculation"].(string)
	if strings.TrimSpace(plate) == "" {
		s.refuse(w, http.StatusBadRequest, msg(r, "The given data was invalid.", "Les données fournies sont invalides."),
			map[string][]string{"immatriculation": {msg(r, "The immatriculation field is required.", "Le champ immatriculation est obligatoire.")}})
		return
	}
	v := s.data.vehicles[normalize(plate)]
	if v == nil {
		s.refuse(w, http.StatusNotFound, msg(r, "Vehicle not found", "Véhicule introuvable"), nil)
		return
	}
	s.ok(w, vehicleServices[name](v))
}

func normalize(plate string) string {
	var b strings.Builder
	for _, c := range strings.ToUpper(plate) {
		if (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (s *Server) campaignCustomers(w http.ResponseWriter, r *http.Request, code string) {
	pos := s.data.pos[code]
	if pos == nil {
		s.refuse(w, http.StatusNotFound, msg(r, "Point of sale not found", "Point de vente introuvable"), nil)
		return
	}
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	type entry struct {
		camp   *Campaign
		client CampaignClient
	}
	var all []entry
	for _, c := range pos.campaigns {
		for _, cl := range c.Clients {
			all = append(all, entry{c, cl})
		}
	}
	lastPage := max(1, (len(all)+PerPage-1)/PerPage)
	campaigns := []Campaign{}
	if from := (page - 1) * PerPage; from < len(all) {
		for _, e := range all[from:min(from+PerPage, len(all))] {
			if n := len(campaigns); n == 0 || campaigns[n-1].ID != e.camp.ID {
				c := *e.camp
				c.Clients = nil
				campaigns = append(campaigns, c)
			}
			last := &campaigns[len(campaigns)-1]
			last.Clients = append(last.Clients, e.client)
		}
	}
	if s.opts.Reading == OtherReading {
		s.write(w, http.StatusOK, map[string]any{"success": true, "message": "OK", "errors": []string{},
			"data": struct {
				CampaignHeader
				Campaigns  []Campaign  `doc:"campagneList"`
				Pagination *Pagination `doc:"pagination"`
			}{pos.header, campaigns, &Pagination{CurrentPage: page, LastPage: lastPage, PerPage: PerPage, Total: len(all)}}})
		return
	}
	// The seed's reading: campagneList beside data, and no paging block.
	s.write(w, http.StatusOK, map[string]any{"success": true, "message": "OK", "errors": []string{},
		"data": pos.header, "campagneList": campaigns})
}

func (s *Server) blacklist(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("output") != "csv" {
		s.ok(w, s.data.blacklist)
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	_ = cw.Write(blacklistColumns)
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	for _, e := range s.data.blacklist {
		_ = cw.Write([]string{strconv.Itoa(e.ClientID), e.FirstName, e.LastName, e.CompanyName,
			b(e.ReminderSMS), b(e.ReminderEmail), b(e.SyncDmsPhone), b(e.SyncDmsEmail),
			e.Privacy, e.Mobile, e.Email, e.MemberShortName, e.PostalCode, e.MemberPoSCode})
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="blacklist.csv"`)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	up := Upload{}
	defer func() {
		s.mu.Lock()
		s.uploads = append(s.uploads, up)
		s.mu.Unlock()
	}()
	refuse := func(field, m string) {
		up.Message = m
		s.refuse(w, http.StatusBadRequest, msg(r, "The given data was invalid.", "Les données fournies sont invalides."),
			map[string][]string{field: {m}})
	}
	// Parts are read as they come and the file goes to a temporary file,
	// as a web server does: a large import is never held in memory.
	mr, err := r.MultipartReader()
	if err != nil {
		refuse("importFile", "The request must be multipart/form-data.")
		return
	}
	var file *os.File
	defer func() {
		if file != nil {
			_ = file.Close()
			_ = os.Remove(file.Name())
		}
	}()
	var size int64
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			refuse("importFile", "The request must be multipart/form-data.")
			return
		}
		switch part.FormName() {
		case "organizationId":
			b, err := io.ReadAll(io.LimitReader(part, 1<<10))
			if err != nil {
				refuse("organizationId", "The organization id field is required.")
				return
			}
			up.OrganizationID = strings.TrimSpace(string(b))
		case "importFile":
			if file != nil {
				continue
			}
			if file, err = os.CreateTemp("", "mmp-fake-upload-*"); err != nil {
				refuse("importFile", "The import file failed to upload.")
				return
			}
			if size, err = io.Copy(file, part); err != nil {
				refuse("importFile", "The import file failed to upload.")
				return
			}
			up.Filename = part.FileName()
		}
	}
	if file == nil {
		refuse("importFile", "The import file field is required.")
		return
	}
	up.Size = int(size)
	if up.OrganizationID == "" {
		refuse("organizationId", "The organization id field is required.")
		return
	}
	zr, err := zip.NewReader(file, size)
	if err != nil {
		refuse("importFile", "The import file must be a file of type: zip.")
		return
	}
	for _, zf := range zr.File {
		up.Files = append(up.Files, zf.Name)
	}
	up.Accepted = true
	up.Message = "Le fichier a été importé avec succès."
	s.ok(w, UploadResult{Success: true, Message: up.Message})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.refuse(w, http.StatusNotFound, msg(r, "Route not found", "Route introuvable"), nil)
}

// msg picks the English message when the caller asked lang=en, as the
// vehicle services' URLs do.
func msg(r *http.Request, en, fr string) string {
	if r.URL.Query().Get("lang") == "en" {
		return en
	}
	return fr
}

func (s *Server) ok(w http.ResponseWriter, data any) {
	s.write(w, http.StatusOK, map[string]any{"success": true, "data": data, "message": "OK", "errors": []string{}})
}

// refuse writes the seed's error envelope: data [] and errors an object.
func (s *Server) refuse(w http.ResponseWriter, status int, message string, errs map[string][]string) {
	if errs == nil {
		errs = map[string][]string{}
	}
	s.write(w, status, map[string]any{"success": false, "data": []string{}, "message": message, "errors": errs})
}

// write sends v in the fake's reading (see encode).
func (s *Server) write(w http.ResponseWriter, status int, v any) {
	b, err := encode(v, s.opts.Reading)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeJSON sends v with encoding/json (token endpoint bodies, which the
// seed shows in full).
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
