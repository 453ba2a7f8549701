package config

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSecurityVariables(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		check   func(*Config) bool
		wantErr string
	}{
		{"defaults", nil, func(c *Config) bool {
			return c.RateLimit == 50 && c.RateBurst == 100 && c.MaxBodyBytes == 1<<20 && c.CORSOrigins == nil &&
				c.GravitelAllowedIPs == nil && c.TrustedProxies == nil && c.TrustedDocumentsFile == ""
		}, ""},
		{"set", map[string]string{
			"SWITCHBOARD_RATE_LIMIT": "5", "SWITCHBOARD_RATE_BURST": "7", "SWITCHBOARD_MAX_BODY_BYTES": "2048",
			"SWITCHBOARD_CORS_ORIGINS": "https://a.example/, ,https://b.example", "SWITCHBOARD_TRUSTED_DOCUMENTS": "docs.json",
			"GRAVITEL_ALLOWED_IPS": "203.0.113.7, 198.51.100.0/24,2001:db8::/32", "SWITCHBOARD_TRUSTED_PROXIES": "10.1.2.3/8",
		}, func(c *Config) bool {
			return c.RateLimit == 5 && c.RateBurst == 7 && c.MaxBodyBytes == 2048 && c.TrustedDocumentsFile == "docs.json" &&
				reflect.DeepEqual(c.CORSOrigins, []string{"https://a.example", "https://b.example"}) &&
				reflect.DeepEqual(c.GravitelAllowedIPs, []netip.Prefix{netip.MustParsePrefix("203.0.113.7/32"), netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("2001:db8::/32")}) &&
				reflect.DeepEqual(c.TrustedProxies, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")})
		}, ""},
		{"rate limit off", map[string]string{"SWITCHBOARD_RATE_LIMIT": "0", "SWITCHBOARD_RATE_BURST": "0"}, func(c *Config) bool { return c.RateLimit == 0 }, ""},
		{"negative rate", map[string]string{"SWITCHBOARD_RATE_LIMIT": "-1"}, nil, "SWITCHBOARD_RATE_LIMIT"},
		{"no burst", map[string]string{"SWITCHBOARD_RATE_BURST": "0"}, nil, "SWITCHBOARD_RATE_BURST"},
		{"body size not a number", map[string]string{"SWITCHBOARD_MAX_BODY_BYTES": "1MB"}, nil, "SWITCHBOARD_MAX_BODY_BYTES"},
		{"bad address", map[string]string{"GRAVITEL_ALLOWED_IPS": "pbx.example"}, nil, "GRAVITEL_ALLOWED_IPS"},
		{"batches off by default", map[string]string{}, func(c *Config) bool { return c.MaxBatch == 0 }, ""},
		{"batches on", map[string]string{"SWITCHBOARD_MAX_BATCH": "10"}, func(c *Config) bool { return c.MaxBatch == 10 }, ""},
		{"every request logged by default", map[string]string{}, func(c *Config) bool { return c.AccessLogSample == 1 }, ""},
		{"access log sampled", map[string]string{"SWITCHBOARD_ACCESS_LOG_SAMPLE": "100"}, func(c *Config) bool { return c.AccessLogSample == 100 }, ""},
		{"access log sample not a number", map[string]string{"SWITCHBOARD_ACCESS_LOG_SAMPLE": "1%"}, nil, "SWITCHBOARD_ACCESS_LOG_SAMPLE"},
		{"access log sample zero", map[string]string{"SWITCHBOARD_ACCESS_LOG_SAMPLE": "0"}, nil, "SWITCHBOARD_ACCESS_LOG_SAMPLE"},
		{"batch cap not a number", map[string]string{"SWITCHBOARD_MAX_BATCH": "ten"}, nil, "SWITCHBOARD_MAX_BATCH"},
		{"response cache default", map[string]string{}, func(c *Config) bool { return c.ResponseCacheTTL == 5*time.Second }, ""},
		{"response cache off", map[string]string{"SWITCHBOARD_RESPONSE_CACHE_TTL": "0"}, func(c *Config) bool { return c.ResponseCacheTTL == 0 }, ""},
		{"response cache TTL not a duration", map[string]string{"SWITCHBOARD_RESPONSE_CACHE_TTL": "5"}, nil, "SWITCHBOARD_RESPONSE_CACHE_TTL"},
		{"bad CIDR", map[string]string{"SWITCHBOARD_TRUSTED_PROXIES": "10.0.0.0/40"}, nil, "SWITCHBOARD_TRUSTED_PROXIES"},
		{"hardening defaults", nil, func(c *Config) bool {
			u := c.Upstream
			return c.MaxTokens == 15000 && c.WSInitTimeout == 3*time.Second && c.RedisPrefix == "switchboard:" &&
				c.CallRetention == 400*24*time.Hour && u.Timeout == 5*time.Second && u.TimeoutOf("mmp") == 5*time.Second &&
				u.BreakerFailures == 5 && u.BreakerMinCalls == 20 && u.BreakerFailureRatio == 0.5 && u.BreakerCoolDown == 30*time.Second
		}, ""},
		{"hardening set", map[string]string{"SWITCHBOARD_MAX_TOKENS": "100", "SWITCHBOARD_WS_INIT_TIMEOUT": "1s",
			"SWITCHBOARD_REDIS_PREFIX": "sb1:", "SWITCHBOARD_CALL_RETENTION": "30d", "SWITCHBOARD_UPSTREAM_TIMEOUT": "2s",
			"CLAVUS_TIMEOUT": "20s", "SWITCHBOARD_BREAKER_FAILURE_RATIO": "0.25", "SWITCHBOARD_BREAKER_COOLDOWN": "1m"}, func(c *Config) bool {
			u := c.Upstream
			return c.MaxTokens == 100 && c.WSInitTimeout == time.Second && c.RedisPrefix == "sb1:" && c.CallRetention == 30*24*time.Hour &&
				u.TimeoutOf("mmp") == 2*time.Second && u.TimeoutOf("clavus") == 20*time.Second && u.BreakerFailureRatio == 0.25 && u.BreakerCoolDown == time.Minute
		}, ""},
		{"retention as a duration", map[string]string{"SWITCHBOARD_CALL_RETENTION": "720h"}, func(c *Config) bool { return c.CallRetention == 720*time.Hour }, ""},
		{"bad retention", map[string]string{"SWITCHBOARD_CALL_RETENTION": "forever"}, nil, "SWITCHBOARD_CALL_RETENTION"},
		{"heavy lane defaults", nil, func(c *Config) bool { return c.HeavyBodyBytes == 32<<10 && c.HeavyRate == 20 }, ""},
		{"heavy lane set", map[string]string{"SWITCHBOARD_HEAVY_BODY_BYTES": "65536", "SWITCHBOARD_HEAVY_RATE": "5"}, func(c *Config) bool {
			return c.HeavyBodyBytes == 65536 && c.HeavyRate == 5
		}, ""},
		{"heavy rate zero", map[string]string{"SWITCHBOARD_HEAVY_RATE": "0"}, nil, "SWITCHBOARD_HEAVY_RATE"},
		{"heavy threshold not a number", map[string]string{"SWITCHBOARD_HEAVY_BODY_BYTES": "32KiB"}, nil, "SWITCHBOARD_HEAVY_BODY_BYTES"},
		{"no tokens", map[string]string{"SWITCHBOARD_MAX_TOKENS": "0"}, nil, "SWITCHBOARD_MAX_TOKENS"},
		{"bad ratio", map[string]string{"SWITCHBOARD_BREAKER_FAILURE_RATIO": "50%"}, nil, "SWITCHBOARD_BREAKER_FAILURE_RATIO"},
		{"bad source timeout", map[string]string{"MMP_TIMEOUT": "5"}, nil, "MMP_TIMEOUT"},
		{"bare port", map[string]string{"SWITCHBOARD_ADDR": "28938"}, nil, ":28938"},
		{"bad port", map[string]string{"SWITCHBOARD_ADDR": ":99999"}, nil, "SWITCHBOARD_ADDR"},
		{"host and port", map[string]string{"SWITCHBOARD_ADDR": "127.0.0.1:9000", "SWITCHBOARD_SANDBOX": "1"}, func(c *Config) bool {
			return c.PublicURL == "http://127.0.0.1:9000"
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse(func(k string) string { return c.env[k] }, "mmp", "clavus")
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err %v, want one naming %s", err, c.wantErr)
				}
				return
			}
			if err != nil || !c.check(cfg) {
				t.Fatalf("err %v, config %+v", err, cfg)
			}
		})
	}
}
