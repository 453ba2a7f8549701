// Package config reads the gateway's own environment (names fixed by
// DESIGN.md). Each source reads its own variables (its ConfigFromEnv); the
// table of sources in package app gathers them.
package config

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"switchboard/sources/upstream"
)

// Config is everything the gateway reads from its environment.
type Config struct {
	Addr        string
	Sandbox     bool
	PublicURL   string
	APIKeysFile string
	DataDir     string
	RedisURL    string
	// Introspection is on in sandbox mode, off otherwise unless
	// SWITCHBOARD_INTROSPECTION=1.
	Introspection bool

	// RequestTimeout bounds one GraphQL request; upstream calls get what is left.
	RequestTimeout time.Duration
	// ResponseCacheTTL keeps clean query answers whole (0: off).
	ResponseCacheTTL time.Duration
	// IdempotencyTTL is how long an idempotency key is remembered
	// (SWITCHBOARD_IDEMPOTENCY_TTL, default 24h).
	IdempotencyTTL time.Duration

	// RateLimit is the requests per second each API key may make, in bursts
	// of RateBurst (SWITCHBOARD_RATE_LIMIT, default 50, 0 turns it off;
	// SWITCHBOARD_RATE_BURST, default 100).
	RateLimit, RateBurst int
	// MaxBodyBytes bounds a non-upload request body
	// (SWITCHBOARD_MAX_BODY_BYTES, default 1 MiB).
	MaxBodyBytes int64
	// RedisPrefix starts every Redis key of this gateway
	// (SWITCHBOARD_REDIS_PREFIX, default "switchboard:"): gateways sharing a
	// Redis with different prefixes share nothing.
	RedisPrefix string
	// CallRetention is how long a call record is kept
	// (SWITCHBOARD_CALL_RETENTION, default 400 days; "400d" or a Go duration).
	CallRetention time.Duration
	// Upstream is the timeout and circuit-breaker policy of every source's
	// client: SWITCHBOARD_UPSTREAM_TIMEOUT (per attempt, default 5s), one
	// source's with <SOURCE>_TIMEOUT (MMP_TIMEOUT…); SWITCHBOARD_BREAKER_FAILURES (consecutive, 5),
	// SWITCHBOARD_BREAKER_MIN_CALLS (20), SWITCHBOARD_BREAKER_FAILURE_RATIO
	// (0.5), SWITCHBOARD_BREAKER_WINDOW (60s), SWITCHBOARD_BREAKER_COOLDOWN (30s).
	Upstream upstream.Policy
	// WSInitTimeout is how long a WebSocket may stay open without
	// connection_init (SWITCHBOARD_WS_INIT_TIMEOUT, default 3s).
	WSInitTimeout time.Duration
	// MetricsAddr, when set, serves /metrics there instead of on Addr
	// (SWITCHBOARD_METRICS_ADDR); MetricsKeyNames labels metrics with API
	// key names (SWITCHBOARD_METRICS_KEY_NAMES=1; off: no key is named).
	MetricsAddr     string
	MetricsKeyNames bool
	// MaxUploads bounds the multipart uploads read at once, each streamed
	// to a file under DataDir/uploads (SWITCHBOARD_MAX_UPLOADS, default 4).
	MaxUploads int
	// MaxTokens bounds the lexical tokens of one GraphQL document
	// (SWITCHBOARD_MAX_TOKENS, default 15 000).
	MaxTokens int
	// HeavyBodyBytes is the JSON request body size past which a request is
	// admitted at most HeavyRate times a second, one parse at a time, across
	// the process (SWITCHBOARD_HEAVY_BODY_BYTES, default 32 KiB;
	// SWITCHBOARD_HEAVY_RATE, default 20).
	HeavyBodyBytes int64
	HeavyRate      int
	// MaxBatch is the most operations a batched request (a JSON array) may
	// hold (SWITCHBOARD_MAX_BATCH, default 0: batches are refused).
	MaxBatch int
	// AccessLogSample logs one successful request in N at info level
	// (SWITCHBOARD_ACCESS_LOG_SAMPLE, default 1: every one). Refused and
	// failed requests (status 400 and over) are always logged.
	AccessLogSample int
	// TrustedDocumentsFile, when set, lists the only operations that run
	// (SWITCHBOARD_TRUSTED_DOCUMENTS).
	TrustedDocumentsFile string
	// CORSOrigins may call /graphql from a browser
	// (SWITCHBOARD_CORS_ORIGINS, comma-separated, "*" for any; default none).
	CORSOrigins []string
	// GravitelAllowedIPs may call the PBX webhook (GRAVITEL_ALLOWED_IPS,
	// comma-separated IPs or CIDRs; empty: anyone). TrustedProxies are the
	// reverse proxies whose X-Forwarded-For is believed
	// (SWITCHBOARD_TRUSTED_PROXIES; empty: the header is ignored).
	GravitelAllowedIPs, TrustedProxies []netip.Prefix
}

// Parse reads the gateway's own settings through getenv, with the timeout
// variable of each named source (MMP_TIMEOUT for "mmp"); each source reads
// its own settings (its package's ConfigFromEnv).
func Parse(getenv func(string) string, sources ...string) (*Config, error) {
	c := &Config{
		Addr:             or(getenv("SWITCHBOARD_ADDR"), ":8080"),
		Sandbox:          getenv("SWITCHBOARD_SANDBOX") == "1",
		PublicURL:        strings.TrimRight(getenv("SWITCHBOARD_PUBLIC_URL"), "/"),
		APIKeysFile:      getenv("SWITCHBOARD_API_KEYS_FILE"),
		DataDir:          or(getenv("SWITCHBOARD_DATA_DIR"), "./data"),
		RedisURL:         getenv("REDIS_URL"),
		RequestTimeout:   15 * time.Second,
		ResponseCacheTTL: 5 * time.Second,

		TrustedDocumentsFile: getenv("SWITCHBOARD_TRUSTED_DOCUMENTS"),
	}
	// A browser's Origin never ends in a slash; a pasted URL may.
	for _, o := range list(getenv("SWITCHBOARD_CORS_ORIGINS")) {
		c.CORSOrigins = append(c.CORSOrigins, strings.TrimRight(o, "/"))
	}
	c.Introspection = c.Sandbox || getenv("SWITCHBOARD_INTROSPECTION") == "1"
	if v := getenv("SWITCHBOARD_RESPONSE_CACHE_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if v == "0" {
			d, err = 0, nil
		}
		if err != nil || d < 0 {
			return nil, fmt.Errorf("SWITCHBOARD_RESPONSE_CACHE_TTL: want a duration like 5s (0: off), got %q", v)
		}
		c.ResponseCacheTTL = d
	}
	if v := getenv("SWITCHBOARD_REQUEST_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("SWITCHBOARD_REQUEST_TIMEOUT: want a positive duration like 15s, got %q", v)
		}
		c.RequestTimeout = d
	}
	c.IdempotencyTTL = 24 * time.Hour
	if v := getenv("SWITCHBOARD_IDEMPOTENCY_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("SWITCHBOARD_IDEMPOTENCY_TTL: want a positive duration like 24h, got %q", v)
		}
		c.IdempotencyTTL = d
	}
	var err error
	if err := checkAddr(c.Addr); err != nil {
		return nil, err
	}
	c.MetricsAddr = strings.TrimSpace(getenv("SWITCHBOARD_METRICS_ADDR"))
	if c.MetricsAddr != "" {
		if err := checkAddr(c.MetricsAddr); err != nil {
			return nil, fmt.Errorf("SWITCHBOARD_METRICS_ADDR%s", strings.TrimPrefix(err.Error(), "SWITCHBOARD_ADDR"))
		}
	}
	c.MetricsKeyNames = getenv("SWITCHBOARD_METRICS_KEY_NAMES") == "1"
	c.RedisPrefix = or(strings.TrimSpace(getenv("SWITCHBOARD_REDIS_PREFIX")), "switchboard:")
	if c.CallRetention, err = days(getenv, "SWITCHBOARD_CALL_RETENTION", 400*24*time.Hour); err != nil {
		return nil, err
	}
	if c.Upstream, err = upstreamPolicy(getenv, sources); err != nil {
		return nil, err
	}
	if c.WSInitTimeout, err = positiveDuration(getenv, "SWITCHBOARD_WS_INIT_TIMEOUT", 3*time.Second); err != nil {
		return nil, err
	}
	if c.RateLimit, err = nonNegative(getenv, "SWITCHBOARD_RATE_LIMIT", 50); err != nil {
		return nil, err
	}
	if c.RateBurst, err = nonNegative(getenv, "SWITCHBOARD_RATE_BURST", 100); err != nil {
		return nil, err
	}
	if c.RateLimit > 0 && c.RateBurst == 0 {
		return nil, fmt.Errorf("SWITCHBOARD_RATE_BURST: must be at least 1 while SWITCHBOARD_RATE_LIMIT is on")
	}
	body, err := nonNegative(getenv, "SWITCHBOARD_MAX_BODY_BYTES", 1<<20)
	if err != nil {
		return nil, err
	}
	c.MaxBodyBytes = int64(body)
	if c.MaxTokens, err = nonNegative(getenv, "SWITCHBOARD_MAX_TOKENS", 15000); err != nil || c.MaxTokens == 0 {
		return nil, cmp.Or(err, fmt.Errorf("SWITCHBOARD_MAX_TOKENS: must be at least 1"))
	}
	heavy, err := nonNegative(getenv, "SWITCHBOARD_HEAVY_BODY_BYTES", 32<<10)
	if err != nil || heavy == 0 {
		return nil, cmp.Or(err, fmt.Errorf("SWITCHBOARD_HEAVY_BODY_BYTES: must be at least 1"))
	}
	c.HeavyBodyBytes = int64(heavy)
	if c.HeavyRate, err = nonNegative(getenv, "SWITCHBOARD_HEAVY_RATE", 20); err != nil || c.HeavyRate == 0 {
		return nil, cmp.Or(err, fmt.Errorf("SWITCHBOARD_HEAVY_RATE: must be at least 1"))
	}
	if c.MaxUploads, err = nonNegative(getenv, "SWITCHBOARD_MAX_UPLOADS", 4); err != nil || c.MaxUploads == 0 {
		return nil, cmp.Or(err, fmt.Errorf("SWITCHBOARD_MAX_UPLOADS: must be at least 1"))
	}
	if c.MaxBatch, err = nonNegative(getenv, "SWITCHBOARD_MAX_BATCH", 0); err != nil {
		return nil, err
	}
	if c.AccessLogSample, err = nonNegative(getenv, "SWITCHBOARD_ACCESS_LOG_SAMPLE", 1); err != nil || c.AccessLogSample == 0 {
		return nil, cmp.Or(err, fmt.Errorf("SWITCHBOARD_ACCESS_LOG_SAMPLE: must be at least 1 (SWITCHBOARD_LOG_LEVEL=warn turns the access log off)"))
	}
	if c.GravitelAllowedIPs, err = prefixes(getenv, "GRAVITEL_ALLOWED_IPS"); err != nil {
		return nil, err
	}
	if c.TrustedProxies, err = prefixes(getenv, "SWITCHBOARD_TRUSTED_PROXIES"); err != nil {
		return nil, err
	}
	if c.PublicURL == "" && c.Sandbox {
		// The sandbox PBX calls us on loopback.
		c.PublicURL = "http://127.0.0.1" + c.Addr[strings.LastIndex(c.Addr, ":"):]
	}
	return c, nil
}

// WebhookURL is where the PBX reaches the gateway.
func (c *Config) WebhookURL() string { return c.PublicURL + "/integrations/gravitel" }

// upstreamPolicy reads the timeouts and breaker settings of the sources.
func upstreamPolicy(getenv func(string) string, names []string) (upstream.Policy, error) {
	p := upstream.Policy{Timeouts: map[string]time.Duration{}}
	var err error
	if p.Timeout, err = positiveDuration(getenv, "SWITCHBOARD_UPSTREAM_TIMEOUT", 5*time.Second); err != nil {
		return p, err
	}
	for _, s := range names {
		name := strings.ToUpper(s) + "_TIMEOUT"
		if d, err := positiveDuration(getenv, name, 0); err != nil {
			return p, err
		} else if d > 0 {
			p.Timeouts[s] = d
		}
	}
	failures, err := nonNegative(getenv, "SWITCHBOARD_BREAKER_FAILURES", 5)
	if err != nil {
		return p, err
	}
	minCalls, err := nonNegative(getenv, "SWITCHBOARD_BREAKER_MIN_CALLS", 20)
	if err != nil {
		return p, err
	}
	p.BreakerFailures, p.BreakerMinCalls = uint32(max(failures, 1)), uint32(max(minCalls, 1))
	p.BreakerFailureRatio = 0.5
	if v := strings.TrimSpace(getenv("SWITCHBOARD_BREAKER_FAILURE_RATIO")); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r <= 0 || r > 1 {
			return p, fmt.Errorf("SWITCHBOARD_BREAKER_FAILURE_RATIO: want a fraction in (0, 1] like 0.5, got %q", v)
		}
		p.BreakerFailureRatio = r
	}
	if p.BreakerWindow, err = positiveDuration(getenv, "SWITCHBOARD_BREAKER_WINDOW", 60*time.Second); err != nil {
		return p, err
	}
	if p.BreakerCoolDown, err = positiveDuration(getenv, "SWITCHBOARD_BREAKER_COOLDOWN", 30*time.Second); err != nil {
		return p, err
	}
	return p, nil
}

// checkAddr refuses a listen address net.Listen would not take, with a
// hint for the common slip of a bare port.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		if _, perr := strconv.Atoi(addr); perr == nil {
			return fmt.Errorf("SWITCHBOARD_ADDR: %q is a bare port; write :%s (or host:%s)", addr, addr, addr)
		}
		return fmt.Errorf("SWITCHBOARD_ADDR: want host:port or :port, got %q", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("SWITCHBOARD_ADDR: port %q of %q is not a number from 0 to 65535", port, addr)
	}
	return nil
}

// days reads a positive duration written as a Go duration (9600h) or a
// number of days (400d).
func days(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	if n, err := strconv.Atoi(strings.TrimSuffix(v, "d")); err == nil && strings.HasSuffix(v, "d") && n > 0 {
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: want a number of days like 400d or a duration like 720h, got %q", name, v)
	}
	return d, nil
}

// positiveDuration reads a duration like 3s, def when unset.
func positiveDuration(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: want a positive duration like %s, got %q", name, def, v)
	}
	return d, nil
}

// nonNegative reads a whole number, def when unset.
func nonNegative(getenv func(string) string, name string, def int) (int, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: want a whole number >= 0, got %q", name, v)
	}
	return n, nil
}

// list splits a comma-separated value, dropping blanks.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// prefixes reads comma-separated IPs and CIDRs; an IP is its own /32 (/128).
func prefixes(getenv func(string) string, name string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list(getenv(name)) {
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not an IP or CIDR", name, s)
			}
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not an IP or CIDR", name, s)
		}
		ip = ip.Unmap()
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
