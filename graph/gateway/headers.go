package gateway

import (
	"net/http"
	"slices"
)

// apiCSP is the policy of every response but GraphiQL's page: JSON and text
// load nothing, and nothing may frame them.
const apiCSP = "default-src 'none'; frame-ancestors 'none'"

// graphiqlCSP lets the GraphiQL page load its embedded assets from
// /graphiql/* and run its one inline script (by nonce), and talk to
// /graphql only. GraphiQL sets inline styles and its stylesheet embeds
// data: images and fonts.
const graphiqlCSP = "default-src 'self'; script-src 'self' 'nonce-%s'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// The security headers' values, one slice each shared by every response:
// handlers replace a header (Set) rather than edit its slice in place.
var (
	nosniff     = []string{"nosniff"}
	noReferrer  = []string{"no-referrer"}
	denyFraming = []string{"DENY"}
	apiCSPs     = []string{apiCSP}
)

// setSecurityHeaders sets the headers every response carries; GraphiQL's
// page replaces the Content-Security-Policy with its own.
func setSecurityHeaders(h http.Header) {
	h["X-Content-Type-Options"] = nosniff
	h["Referrer-Policy"] = noReferrer
	h["X-Frame-Options"] = denyFraming
	h["Content-Security-Policy"] = apiCSPs
}

// corsHeaders is what a browser may send and read across origins.
const (
	corsAllowHeaders  = "Authorization, Content-Type, Accept, X-Request-Id, Idempotency-Key"
	corsExposeHeaders = "Retry-After, X-Request-Id"
)

// cors lets browsers on the listed origins ("*": any) call next; others get
// no CORS headers, so their browser keeps the answer from them. Clients
// authenticate with a bearer key, never cookies, so credentials stay off.
func cors(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	anyOrigin := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		if !anyOrigin && !slices.Contains(origins, origin) {
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		next.ServeHTTP(w, r)
	})
}
