// Package redisconn builds the gateway's Redis client from REDIS_URL: a
// single node, a Sentinel-watched master (failover followed), or a Cluster.
// Every Redis user takes the redis.UniversalClient it returns.
//
//	redis://[user:password@]host:6379/0             single node (rediss:// for TLS, unix:// too)
//	redis-sentinel://[user:password@]s1:26379,s2:26379/0?master_name=mymaster[&password=...]
//	redis-cluster://[user:password@]n1:6379,n2:6379
//
// A sentinel URL's user and password are the Sentinels'; the master's are
// the username and password query parameters (go-redis's reading of the
// URL, kept so its documented options all apply). rediss-sentinel:// and
// rediss-cluster:// use TLS. Query parameters are go-redis's (dial_timeout,
// pool_size, ...): an unknown one is an error.
package redisconn

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Open returns the client REDIS_URL names. Errors never quote the URL: it
// may hold a password.
func Open(rawURL string) (redis.UniversalClient, error) {
	opts, err := parse(rawURL)
	if err != nil {
		return nil, err
	}
	switch o := opts.(type) {
	case *redis.FailoverOptions:
		return redis.NewFailoverClient(o), nil
	case *redis.ClusterOptions:
		return redis.NewClusterClient(o), nil
	}
	return redis.NewClient(opts.(*redis.Options)), nil
}

// parse reads rawURL as *redis.Options, *redis.FailoverOptions or
// *redis.ClusterOptions.
func parse(rawURL string) (any, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, errors.New("REDIS_URL: want redis://, rediss://, unix://, redis-sentinel:// or redis-cluster://")
	}
	switch scheme {
	case "redis", "rediss", "unix":
		opts, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, clean(err)
		}
		return opts, nil
	case "redis-sentinel", "rediss-sentinel":
		u, err := several(strings.TrimSuffix(scheme, "-sentinel"), rest)
		if err != nil {
			return nil, err
		}
		opts, err := redis.ParseFailoverURL(u)
		if err != nil {
			return nil, clean(err)
		}
		if opts.MasterName == "" {
			return nil, errors.New("REDIS_URL: a redis-sentinel:// URL needs the master's name: ?master_name=NAME")
		}
		return opts, nil
	case "redis-cluster", "rediss-cluster":
		u, err := several(strings.TrimSuffix(scheme, "-cluster"), rest)
		if err != nil {
			return nil, err
		}
		if p, err := url.Parse(u); err != nil {
			return nil, clean(err)
		} else if strings.Trim(p.Path, "/") != "" {
			return nil, errors.New("REDIS_URL: a Redis Cluster has only database 0: no /DB in a redis-cluster:// URL")
		}
		opts, err := redis.ParseClusterURL(u)
		if err != nil {
			return nil, clean(err)
		}
		return opts, nil
	}
	return nil, errors.New("REDIS_URL: unknown scheme: want redis://, rediss://, unix://, redis-sentinel:// or redis-cluster://")
}

// several rewrites "host1,host2,.../path?query" as go-redis's form: the
// first host in the authority, the others as addr parameters.
func several(scheme, rest string) (string, error) {
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo, hosts := "", authority
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		userinfo, hosts = authority[:i+1], authority[i+1:]
	}
	addrs := strings.Split(hosts, ",")
	for _, a := range addrs {
		if a == "" {
			return "", errors.New("REDIS_URL: an empty host in the list of hosts")
		}
	}
	path, query, _ := strings.Cut(tail, "?")
	for _, a := range addrs[1:] {
		if query != "" {
			query += "&"
		}
		query += "addr=" + url.QueryEscape(a)
	}
	u := scheme + "://" + userinfo + addrs[0] + path
	if query != "" {
		u += "?" + query
	}
	return u, nil
}

// clean drops the URL url.Parse puts in its errors.
func clean(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return fmt.Errorf("REDIS_URL: %w", ue.Err)
	}
	return fmt.Errorf("REDIS_URL: %w", err)
}

// KeyPrefix is the key prefix to use with the Redis rawURL names. On a
// Cluster every key of the gateway must hash to one slot (the call store
// updates a record and its indexes in one transaction, reads many with
// MGET), so the prefix becomes a hash tag unless it holds one: the data
// then lives on one shard and its replicas, which gives failover, not
// sharding.
func KeyPrefix(rawURL, prefix string) string {
	if !strings.HasPrefix(rawURL, "redis-cluster://") && !strings.HasPrefix(rawURL, "rediss-cluster://") {
		return prefix
	}
	if i := strings.Index(prefix, "{"); i >= 0 && strings.Index(prefix[i:], "}") > 1 {
		return prefix
	}
	return "{" + prefix + "}"
}
