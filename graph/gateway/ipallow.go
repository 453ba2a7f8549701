package gateway

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// AllowIPs serves next only to clients whose address is in allowed; others
// get 403 {"error":"Forbidden"}. An empty allowed lets everyone through.
//
// The client's address is the connection's, unless the connection comes
// from one of trusted (the reverse proxies in front of the gateway): then
// X-Forwarded-For is read right to left, past the trusted hops, and the
// first other address is the client. Without trusted proxies the header is
// ignored, since any client can send it.
func AllowIPs(allowed, trusted []netip.Prefix, log *slog.Logger, next http.Handler) http.Handler {
	if len(allowed) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip, ok := clientIP(r, trusted)
		if !ok || !inAny(allowed, ip) {
			log.Warn("webhook call refused: address not allowed", "path", r.URL.Path, "client_ip", ip.String(), "remote_addr", r.RemoteAddr)
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "Forbidden"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clientIP is the caller's address as AllowIPs defines it; false when an
// address it must read does not parse.
func clientIP(r *http.Request, trusted []netip.Prefix) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	ip = ip.Unmap()
	if !inAny(trusted, ip) {
		return ip, true
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		addr, err := netip.ParseAddr(hop)
		if err != nil {
			ap, perr := netip.ParseAddrPort(hop)
			if perr != nil {
				return netip.Addr{}, false
			}
			addr = ap.Addr()
		}
		ip = addr.Unmap()
		if !inAny(trusted, ip) {
			return ip, true
		}
	}
	return ip, true
}

func inAny(prefixes []netip.Prefix, ip netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
