package redisconn

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"switchboard/graph/calls"
)

// TestSentinelFailover runs a master, a replica and a Sentinel on loopback,
// fails the master over (SENTINEL FAILOVER) and checks that the call store,
// reached through a redis-sentinel:// REDIS_URL, keeps its calls and takes
// new ones on the promoted replica. Skipped where redis-server is absent.
func TestSentinelFailover(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	masterPort, replicaPort, sentinelPort := freePort(t), freePort(t), freePort(t)
	server := func(name string, args ...string) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	}
	node := func(port int, extra ...string) {
		p := strconv.Itoa(port)
		server("redis "+p, append([]string{"--port", p, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
			"--dbfilename", "dump-" + p + ".rdb"}, extra...)...)
	}
	node(masterPort)
	node(replicaPort, "--replicaof", "127.0.0.1", strconv.Itoa(masterPort))
	conf := filepath.Join(dir, "sentinel.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, "port %d\nbind 127.0.0.1\ndir %s\n"+
		"sentinel monitor mymaster 127.0.0.1 %d 1\nsentinel down-after-milliseconds mymaster 2000\n"+
		"sentinel failover-timeout mymaster 20000\n", sentinelPort, dir, masterPort), 0o600); err != nil {
		t.Fatal(err)
	}
	server("sentinel", conf, "--sentinel")

	replica := redis.NewClient(&redis.Options{Addr: addr(replicaPort)})
	defer replica.Close()
	sentinel := redis.NewSentinelClient(&redis.Options{Addr: addr(sentinelPort)})
	defer sentinel.Close()
	eventually(ctx, t, "the replica in sync", func() error {
		info, err := replica.Info(ctx, "replication").Result()
		if err == nil && !strings.Contains(info, "master_link_status:up") {
			err = fmt.Errorf("link not up")
		}
		return err
	})
	eventually(ctx, t, "the Sentinel to know the replica", func() error {
		rs, err := sentinel.Replicas(ctx, "mymaster").Result()
		switch {
		case err != nil:
			return err
		case len(rs) != 1:
			return fmt.Errorf("%d replicas known", len(rs))
		case rs[0]["flags"] != "slave" || rs[0]["master-link-status"] != "ok":
			return fmt.Errorf("replica %s, link %s", rs[0]["flags"], rs[0]["master-link-status"])
		}
		return nil
	})

	rdb, err := Open(fmt.Sprintf("redis-sentinel://%s/0?master_name=mymaster&dial_timeout=1s&read_timeout=1s&write_timeout=1s", addr(sentinelPort)))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	store := calls.NewRedis(rdb, "drill:")
	if _, err := store.RecordEvent(ctx, "before", calls.Event{Type: calls.EventIncoming, User: "daria"}, calls.CallPatch{Phone: "33612345678", User: "daria"}); err != nil {
		t.Fatal(err)
	}
	// The write reaches the replica before the switch (replication is
	// asynchronous; a failover may otherwise lose the last writes).
	if n, err := rdb.Do(ctx, "WAIT", 1, 5000).Int(); err != nil || n != 1 {
		t.Fatalf("WAIT: %d replicas, %v", n, err)
	}

	// NOGOODSLAVE until the Sentinel has read the replica's INFO.
	eventually(ctx, t, "SENTINEL FAILOVER", func() error { return sentinel.Failover(ctx, "mymaster").Err() })
	eventually(ctx, t, "the Sentinel to name the replica master", func() error {
		a, err := sentinel.GetMasterAddrByName(ctx, "mymaster").Result()
		if err == nil && (len(a) != 2 || a[1] != strconv.Itoa(replicaPort)) {
			err = fmt.Errorf("master is %v", a)
		}
		return err
	})
	// Until the client hears of the switch (+switch-master), a write may
	// still reach the old master and be lost when it resyncs from the new
	// one: Sentinel's known window (replication is asynchronous). The write
	// is repeated until the promoted replica holds the call.
	eventually(ctx, t, "a call recorded on the new master", func() error {
		if _, err := store.RecordEvent(ctx, "after", calls.Event{Type: calls.EventIncoming, User: "daria"}, calls.CallPatch{Phone: "33612345678", User: "daria"}); err != nil {
			return err
		}
		if n, err := replica.Exists(ctx, "drill:call:after").Result(); err != nil || n != 1 {
			return fmt.Errorf("not on the new master (%v)", err)
		}
		return nil
	})
	old := redis.NewClient(&redis.Options{Addr: addr(masterPort)})
	defer old.Close()
	eventually(ctx, t, "the old master to become a replica", func() error {
		info, err := old.Info(ctx, "replication").Result()
		if err == nil && !strings.Contains(info, "role:slave") {
			err = fmt.Errorf("still %s", strings.Fields(info)[1])
		}
		return err
	})
	for _, id := range []string{"before", "after"} {
		if c, ok, err := store.Get(ctx, id); err != nil || !ok || c.User != "daria" {
			t.Fatalf("call %s after the failover: %+v %v %v", id, c, ok, err)
		}
	}
	page, err := store.List(ctx, calls.Filter{User: "daria"})
	if err != nil || len(page.Calls) != 2 {
		t.Fatalf("list after the failover: %+v %v", page, err)
	}
	// Writes keep landing on the promoted replica.
	if _, err := store.RecordHistory(ctx, calls.History{CallID: "after", DurationSeconds: 42, Status: calls.StatusCompleted}); err != nil {
		t.Fatal(err)
	}
	if c, _, err := store.Get(ctx, "after"); err != nil || c.DurationSeconds != 42 {
		t.Fatalf("after the history: %+v %v", c, err)
	}
}

func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// eventually retries f every 100ms until it succeeds or ctx ends.
func eventually(ctx context.Context, t *testing.T, what string, f func() error) {
	t.Helper()
	var err error
	for {
		if err = f(); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
