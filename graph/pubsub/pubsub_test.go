package pubsub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"switchboard/graph/internal/redistest"
)

// Tests here are deliberately not parallel: the leak check counts goroutines.

func redisClient(t *testing.T) *redis.Client {
	c, _ := redistest.Client(t)
	return c
}

// uniquePrefix keeps parallel runs of the suite on one Redis apart.
func uniquePrefix(t *testing.T) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "test:" + t.Name() + ":" + hex.EncodeToString(b) + ":"
}

func newMemoryBus(t *testing.T) Bus {
	b := NewMemory()
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func newRedisBus(t *testing.T) Bus {
	b := NewRedis(redisClient(t), uniquePrefix(t))
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestBusContract(t *testing.T) {
	t.Run("memory", func(t *testing.T) { runBusContract(t, newMemoryBus, "memory") })
	t.Run("redis", func(t *testing.T) { runBusContract(t, newRedisBus, "redis") })
}

func receive(t *testing.T, ch <-chan []byte) string {
	t.Helper()
	select {
	case p, ok := <-ch:
		if !ok {
			t.Fatal("channel closed unexpectedly")
		}
		return string(p)
	case <-time.After(5 * time.Second):
		t.Fatal("no event received")
	}
	return ""
}

func waitClosed(t *testing.T, ch <-chan []byte) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("channel not closed")
		}
	}
}

func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition never held: %s", msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func runBusContract(t *testing.T, newBus func(*testing.T) Bus, label string) {
	bg := context.Background()

	t.Run("delivers in order", func(t *testing.T) {
		b := newBus(t)
		ch, err := b.Subscribe(bg, "calls")
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if err := b.Publish(bg, "calls", []byte(strconv.Itoa(i))); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 3 {
			if got := receive(t, ch); got != strconv.Itoa(i) {
				t.Fatalf("event %d = %q", i, got)
			}
		}
	})
	t.Run("fan-out per topic", func(t *testing.T) {
		b := newBus(t)
		a1, _ := b.Subscribe(bg, "a")
		a2, _ := b.Subscribe(bg, "a")
		other, err := b.Subscribe(bg, "b")
		if err != nil {
			t.Fatal(err)
		}
		buf := []byte("for-a")
		_ = b.Publish(bg, "a", buf)
		copy(buf, "XXXXX") // the bus must have copied the payload
		_ = b.Publish(bg, "b", []byte("for-b"))
		if receive(t, a1) != "for-a" || receive(t, a2) != "for-a" {
			t.Fatal("both subscribers of a must get the event")
		}
		if got := receive(t, other); got != "for-b" {
			t.Fatalf("subscriber of b got %q", got)
		}
	})
	t.Run("closes on cancel", func(t *testing.T) {
		b := newBus(t)
		ctx, cancel := context.WithCancel(bg)
		ch, err := b.Subscribe(ctx, "t")
		if err != nil {
			t.Fatal(err)
		}
		keep, _ := b.Subscribe(bg, "t")
		cancel()
		waitClosed(t, ch)
		_ = b.Publish(bg, "t", []byte("still"))
		if receive(t, keep) != "still" {
			t.Fatal("other subscriber of the topic lost")
		}
		if _, err := b.Subscribe(ctx, "t"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Subscribe with a done ctx: %v", err)
		}
	})
	t.Run("slow subscriber does not block publisher", func(t *testing.T) {
		b := newBus(t)
		slow, _ := b.Subscribe(bg, "burst")
		dropped := droppedTotal.WithLabelValues(label)
		before := testutil.ToFloat64(dropped)
		const n = 1000
		for i := range n {
			if err := b.Publish(bg, "burst", []byte(strconv.Itoa(i))); err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, func() bool { return testutil.ToFloat64(dropped)-before > 0 }, "drops counted")
		got := 0
		for last := ""; last != strconv.Itoa(n-1); got++ {
			last = receive(t, slow) // the newest events survive, the oldest were dropped
		}
		if got >= n {
			t.Fatalf("received %d events, expected drops", got)
		}
	})
	t.Run("close", func(t *testing.T) {
		b := newBus(t)
		ch, _ := b.Subscribe(bg, "t")
		if err := b.(io.Closer).Close(); err != nil {
			t.Fatal(err)
		}
		waitClosed(t, ch)
		if _, err := b.Subscribe(bg, "t"); !errors.Is(err, ErrClosed) {
			t.Fatalf("Subscribe after Close: %v", err)
		}
		if err := b.Publish(bg, "t", nil); !errors.Is(err, ErrClosed) {
			t.Fatalf("Publish after Close: %v", err)
		}
	})
	t.Run("no goroutine leak", func(t *testing.T) {
		b := newBus(t)
		// Warm up pooled connections so they are part of the baseline.
		ctx, cancel := context.WithCancel(bg)
		ch, _ := b.Subscribe(ctx, "warm")
		_ = b.Publish(bg, "warm", []byte("x"))
		receive(t, ch)
		cancel()
		waitClosed(t, ch)
		var baseline int
		eventually(t, func() bool {
			runtime.GC()
			baseline = runtime.NumGoroutine()
			time.Sleep(50 * time.Millisecond)
			return runtime.NumGoroutine() == baseline
		}, "goroutine count settles")

		ctx, cancel = context.WithCancel(bg)
		var chans []<-chan []byte
		for i := range 20 {
			ch, err := b.Subscribe(ctx, fmt.Sprint("topic-", i%5))
			if err != nil {
				t.Fatal(err)
			}
			chans = append(chans, ch)
		}
		for i := range 5 {
			_ = b.Publish(bg, fmt.Sprint("topic-", i), []byte("e"))
		}
		for _, ch := range chans {
			receive(t, ch)
		}
		cancel()
		for _, ch := range chans {
			waitClosed(t, ch)
		}
		eventually(t, func() bool { return runtime.NumGoroutine() <= baseline },
			fmt.Sprintf("goroutines back to %d", baseline))
	})
}

// TestRedisAcrossReplicas: two buses on two separate clients stand for two
// gateway replicas sharing one Redis.
func TestRedisAcrossReplicas(t *testing.T) {
	prefix := uniquePrefix(t)
	a := NewRedis(redisClient(t), prefix)
	b := NewRedis(redisClient(t), prefix)
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	bg := context.Background()
	onB, err := b.Subscribe(bg, "callEvents:alice")
	if err != nil {
		t.Fatal(err)
	}
	onA, err := a.Subscribe(bg, "callEvents:alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Publish(bg, "callEvents:alice", []byte(`{"state":"ringing"}`)); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, onB); got != `{"state":"ringing"}` {
		t.Fatalf("replica B got %q", got)
	}
	if got := receive(t, onA); got != `{"state":"ringing"}` {
		t.Fatalf("replica A got %q", got)
	}
	other := NewRedis(redisClient(t), uniquePrefix(t))
	t.Cleanup(func() { _ = other.Close() })
	isolated, _ := other.Subscribe(bg, "callEvents:alice")
	_ = a.Publish(bg, "callEvents:alice", []byte("second"))
	if receive(t, onB) != "second" {
		t.Fatal("second event lost")
	}
	select {
	case p := <-isolated:
		t.Fatalf("a bus with another prefix received %q", p)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestRedisResubscribe checks a topic can be dropped and taken again, on
// the shared connection and after it was closed for lack of topics.
func TestRedisResubscribe(t *testing.T) {
	b := NewRedis(redisClient(t), uniquePrefix(t))
	t.Cleanup(func() { _ = b.Close() })
	bg := context.Background()
	keep, _ := b.Subscribe(bg, "keep")
	for round := range 3 {
		ctx, cancel := context.WithCancel(bg)
		ch, err := b.Subscribe(ctx, "t")
		if err != nil {
			t.Fatal(err)
		}
		_ = b.Publish(bg, "t", []byte(strconv.Itoa(round)))
		if got := receive(t, ch); got != strconv.Itoa(round) {
			t.Fatalf("round %d got %q", round, got)
		}
		cancel()
		waitClosed(t, ch)
	}
	_ = b.Publish(bg, "keep", []byte("k"))
	if receive(t, keep) != "k" {
		t.Fatal("long-lived subscriber lost")
	}
}

func TestRedisDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there any more
	client := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = client.Close() })
	b := NewRedis(client, "down:")
	t.Cleanup(func() { _ = b.Close() })
	if _, err := b.Subscribe(context.Background(), "t"); err == nil {
		t.Fatal("Subscribe must fail when Redis is unreachable")
	}
	if err := b.Publish(context.Background(), "t", nil); err == nil {
		t.Fatal("Publish must fail when Redis is unreachable")
	}
}
