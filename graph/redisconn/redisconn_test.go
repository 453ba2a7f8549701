package redisconn

import (
	"slices"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Each REDIS_URL form builds the client that follows its topology: a plain
// client, a failover client (Sentinel) or a cluster client.
func TestOpen(t *testing.T) {
	for _, tc := range []struct {
		url  string
		kind string // single, sentinel, cluster
	}{
		{"redis://127.0.0.1:6379/2", "single"},
		{"rediss://u:p@cache.example:6380/0", "single"},
		{"unix:///run/redis.sock?db=1", "single"},
		{"redis-sentinel://s1:26379,s2:26379,s3:26379/0?master_name=mymaster", "sentinel"},
		{"rediss-sentinel://s1:26379/0?master_name=mymaster", "sentinel"},
		{"redis-cluster://n1:6379,n2:6379,n3:6379", "cluster"},
		{"rediss-cluster://u:p@n1:6379", "cluster"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c, err := Open(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			kind := "?"
			switch c := c.(type) {
			case *redis.ClusterClient:
				kind = "cluster"
			case *redis.Client:
				// go-redis's failover client has no address of its own:
				// it asks the Sentinels for the master's.
				kind = "single"
				if c.Options().Addr == "FailoverClient" {
					kind = "sentinel"
				}
			}
			if kind != tc.kind {
				t.Fatalf("built a %s client (%T), want %s", kind, c, tc.kind)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Run("single", func(t *testing.T) {
		o, err := parse("redis://user:secret@r.example:6380/3?dial_timeout=2s")
		if err != nil {
			t.Fatal(err)
		}
		opts := o.(*redis.Options)
		if opts.Addr != "r.example:6380" || opts.DB != 3 || opts.Username != "user" || opts.Password != "secret" || opts.DialTimeout.String() != "2s" {
			t.Fatalf("%+v", opts)
		}
	})
	t.Run("sentinel", func(t *testing.T) {
		o, err := parse("redis-sentinel://:sentinel-pw@s1:26379,s2:26380/4?master_name=mymaster&password=master-pw&addr=s3:26381")
		if err != nil {
			t.Fatal(err)
		}
		opts := o.(*redis.FailoverOptions)
		if opts.MasterName != "mymaster" || opts.DB != 4 || opts.SentinelPassword != "sentinel-pw" || opts.Password != "master-pw" ||
			!slices.Equal(opts.SentinelAddrs, []string{"s1:26379", "s3:26381", "s2:26380"}) {
			t.Fatalf("%+v", opts)
		}
	})
	t.Run("sentinel without path", func(t *testing.T) {
		o, err := parse("redis-sentinel://s1:26379,s2:26379?master_name=m")
		if err != nil {
			t.Fatal(err)
		}
		if opts := o.(*redis.FailoverOptions); len(opts.SentinelAddrs) != 2 || opts.DB != 0 {
			t.Fatalf("%+v", opts)
		}
	})
	t.Run("cluster", func(t *testing.T) {
		o, err := parse("rediss-cluster://u:pw@n1:7000,n2:7001,n3:7002?read_only=true")
		if err != nil {
			t.Fatal(err)
		}
		opts := o.(*redis.ClusterOptions)
		if !slices.Equal(opts.Addrs, []string{"n1:7000", "n2:7001", "n3:7002"}) || opts.Password != "pw" || !opts.ReadOnly || opts.TLSConfig == nil {
			t.Fatalf("%+v", opts)
		}
	})
}

// Refusals say what is wrong without quoting the URL (it may hold a
// password).
func TestOpenRefuses(t *testing.T) {
	for _, tc := range []struct{ url, err string }{
		{"redis-sentinel://:hunter2@s1:26379,s2:26379/0", "needs the master's name"},
		{"redis-sentinel://:hunter2@s1:26379/0?master=mymaster", "unexpected option: master"},
		{"redis-sentinel://:hunter2@s1:26379,,s2:26379/0?master_name=m", "empty host"},
		{"redis-cluster://:hunter2@n1:6379,n2:6379/1", "only database 0"},
		{"redis-cluster://:hunter2@n1:6379?pool_sise=3", "unexpected option: pool_sise"},
		{"redis://:hunter2@r:6379/x", "invalid database number"},
		{"redis://:hunter2@r:port/0", "REDIS_URL: "},
		{"memcached://:hunter2@r:11211", "unknown scheme"},
		{"hunter2", "want redis://"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c, err := Open(tc.url)
			if err == nil {
				c.Close()
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("err %q, want it to contain %q and no password", err, tc.err)
			}
		})
	}
}

func TestKeyPrefix(t *testing.T) {
	for _, tc := range []struct{ url, prefix, want string }{
		{"redis://r:6379/0", "switchboard:", "switchboard:"},
		{"redis-sentinel://s:26379/0?master_name=m", "switchboard:", "switchboard:"},
		{"redis-cluster://n1:6379", "switchboard:", "{switchboard:}"},
		{"rediss-cluster://n1:6379", "sb:", "{sb:}"},
		{"redis-cluster://n1:6379", "{sb}:", "{sb}:"},
		{"redis-cluster://n1:6379", "app:{sb}:", "app:{sb}:"},
		{"redis-cluster://n1:6379", "odd{}:", "{odd{}:}"},
	} {
		if got := KeyPrefix(tc.url, tc.prefix); got != tc.want {
			t.Errorf("KeyPrefix(%q, %q) = %q, want %q", tc.url, tc.prefix, got, tc.want)
		}
	}
}
