package gateway

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

func TestRedisQueryCache(t *testing.T) {
	c, prefix := redisClient(t)
	var log logBuffer
	cases := []struct {
		name    string
		cache   *RedisQueryCache
		add     bool
		wantHit bool
		wantLog bool
	}{
		{"miss", NewRedisQueryCache(c, prefix, time.Hour, log.logger()), false, false, false},
		{"registered", NewRedisQueryCache(c, prefix, time.Hour, log.logger()), true, true, false},
		{"redis down is a miss", NewRedisQueryCache(deadRedis(t), prefix, time.Hour, log.logger()), true, false, true},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hash := queryHash(tc.name)
			if tc.add {
				tc.cache.Add(ctx, hash, "{ sources { name } }")
			}
			q, ok := tc.cache.Get(ctx, hash)
			if ok != tc.wantHit || (ok && q != "{ sources { name } }") {
				t.Fatalf("Get: %q %v", q, ok)
			}
			if ok {
				if ttl := c.TTL(ctx, prefix+hash).Val(); ttl <= 0 || ttl > time.Hour {
					t.Errorf("TTL %v, want up to 1h", ttl)
				}
			}
			if got := strings.Contains(log.String(), "persisted query store unavailable"); got != tc.wantLog {
				t.Errorf("log %v: %s", got, log.String())
			}
		})
	}
}

func TestTrustedDocumentsFile(t *testing.T) {
	q := "{ sources { name } }"
	cases := []struct {
		name, content, wantErr string
	}{
		{"valid", `{"` + queryHash(q) + `": "` + q + `"}`, ""},
		{"hash of another document", `{"` + queryHash("{ x }") + `": "` + q + `"}`, "not the SHA-256"},
		{"not an object", `["` + q + `"]`, "want a JSON object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "docs.json")
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadTrustedDocuments(path)
			if (err == nil) != (c.wantErr == "") || (err != nil && !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("err %v, want %q", err, c.wantErr)
			}
		})
	}
	if _, err := LoadTrustedDocuments(filepath.Join(t.TempDir(), "absent.json")); err == nil {
		t.Fatal("a missing file loaded")
	}
}

func TestTrustedDocumentsOnly(t *testing.T) {
	listed, unlisted := "query Listed { sources { name } }", "{ sources { configured } }"
	raw, _ := json.Marshal(map[string]string{queryHash(listed): listed})
	path := filepath.Join(t.TempDir(), "docs.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	docs, err := LoadTrustedDocuments(path)
	if err != nil {
		t.Fatal(err)
	}
	pq := func(hash string) map[string]any {
		return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	}
	cases := []struct {
		name       string
		query      string
		extensions map[string]any
		wantCode   string
	}{
		{"listed text", listed, nil, ""},
		{"listed hash only", "", pq(queryHash(listed)), ""},
		{"listed hash in capitals", "", pq(strings.ToUpper(queryHash(listed))), ""},
		{"listed text with its hash", listed, pq(queryHash(listed)), ""},
		{"unlisted text", unlisted, nil, "FORBIDDEN"},
		{"unlisted hash", "", pq(queryHash(unlisted)), "FORBIDDEN"},
		{"nothing", "", nil, "FORBIDDEN"},
		{"text with another hash", unlisted, pq(queryHash(listed)), "BAD_USER_INPUT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &graphql.RawParams{Query: c.query, Extensions: c.extensions}
			gerr := docs.MutateOperationParameters(context.Background(), p)
			switch {
			case c.wantCode == "" && gerr != nil:
				t.Fatalf("refused: %v", gerr)
			case c.wantCode == "" && p.Query != listed:
				t.Fatalf("query became %q", p.Query)
			case c.wantCode != "" && (gerr == nil || gerr.Extensions["code"] != c.wantCode):
				t.Fatalf("got %v, want %s", gerr, c.wantCode)
			}
		})
	}
}
