package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/redis/go-redis/v9"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"switchboard/graph/errs"
)

// RedisQueryCache is the Automatic Persisted Queries store in Redis, so a
// query registered through one replica is found by a hash-only request on
// another. Entries expire ttl after their last registration: anyone may
// register a query, so the store must not grow forever.
type RedisQueryCache struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
	warn   *throttledLog
}

var _ graphql.Cache[string] = (*RedisQueryCache)(nil)

// NewRedisQueryCache stores queries under prefix+hash for ttl.
func NewRedisQueryCache(rdb redis.UniversalClient, prefix string, ttl time.Duration, log *slog.Logger) *RedisQueryCache {
	return &RedisQueryCache{rdb: rdb, prefix: prefix, ttl: ttl, warn: &throttledLog{log: log, every: time.Minute}}
}

// Get implements graphql.Cache. A Redis failure is a miss: the client then
// sends the full query, which still runs.
func (c *RedisQueryCache) Get(ctx context.Context, hash string) (string, bool) {
	q, err := c.rdb.Get(ctx, c.prefix+hash).Result()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			c.warn.Warn("persisted query store unavailable", "err", err)
		}
		return "", false
	}
	return q, true
}

// Add implements graphql.Cache.
func (c *RedisQueryCache) Add(ctx context.Context, hash, query string) {
	if err := c.rdb.Set(ctx, c.prefix+hash, query, c.ttl).Err(); err != nil {
		c.warn.Warn("persisted query store unavailable", "err", err)
	}
}

// TrustedDocuments is an allow-list of operations, read from a JSON object
// mapping the SHA-256 (lowercase hex) of each document to its text, the
// shape of the persisted-query manifests that client tool chains emit. With
// it the gateway runs only listed documents, sent either whole or as
// extensions.persistedQuery.sha256Hash alone; anything else is FORBIDDEN.
type TrustedDocuments struct{ docs map[string]string }

// LoadTrustedDocuments reads a manifest file; every hash must match its
// document, so a stale or hand-edited manifest fails at start, not at the
// first request.
func LoadTrustedDocuments(path string) (*TrustedDocuments, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("trusted documents: %w", err)
	}
	var docs map[string]string
	if err := json.Unmarshal(raw, &docs); err != nil {
		return nil, fmt.Errorf("trusted documents %s: want a JSON object {\"<sha256 hex>\": \"<document>\"}: %w", path, err)
	}
	for hash, doc := range docs {
		if queryHash(doc) != hash {
			return nil, fmt.Errorf("trusted documents %s: entry %q is not the SHA-256 of its document", path, hash)
		}
	}
	return &TrustedDocuments{docs: docs}, nil
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*TrustedDocuments)(nil)

// ExtensionName implements graphql.HandlerExtension.
func (*TrustedDocuments) ExtensionName() string { return "TrustedDocuments" }

// Validate implements graphql.HandlerExtension.
func (*TrustedDocuments) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters replaces the request's document by the trusted
// one its hash names, or refuses the request.
func (t *TrustedDocuments) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	hash := ""
	if pq, ok := p.Extensions["persistedQuery"].(map[string]any); ok {
		hash, _ = pq["sha256Hash"].(string)
	}
	if p.Query != "" {
		sum := queryHash(p.Query)
		if hash != "" && !strings.EqualFold(hash, sum) {
			return &gqlerror.Error{Message: "extensions.persistedQuery.sha256Hash does not match the query", Extensions: map[string]any{"code": errs.BadUserInput}}
		}
		hash = sum
	}
	doc, ok := t.docs[strings.ToLower(hash)]
	if !ok {
		return &gqlerror.Error{
			Message:    "this gateway runs trusted documents only, and this operation is not one of them",
			Extensions: map[string]any{"code": errs.Forbidden},
		}
	}
	p.Query = doc
	return nil
}

func queryHash(q string) string {
	sum := sha256.Sum256([]byte(q))
	return hex.EncodeToString(sum[:])
}
