package pubsub

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// confirmTimeout bounds the wait for Redis to acknowledge a SUBSCRIBE.
const confirmTimeout = 5 * time.Second

// Redis is a Bus over Redis PUBLISH/SUBSCRIBE, so an event published on one
// replica reaches subscribers on every replica. All local subscribers share
// one Redis subscription connection, opened while at least one topic has a
// subscriber; each topic is SUBSCRIBEd once and fanned out locally.
type Redis struct {
	client redis.UniversalClient
	prefix string
	local  *Memory

	mu     sync.Mutex
	closed bool
	ps     *redis.PubSub
	topics map[string]*topic
	// pending holds, per Redis channel, one ready channel per SUBSCRIBE not
	// yet acknowledged; Redis acknowledges in order, so FIFO matches them.
	pending map[string][]chan struct{}
}

type topic struct {
	refs  int
	ready chan struct{}
}

// NewRedis returns a bus using Redis channels named prefix+topic. The client
// belongs to the caller.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix, local: newMemory("redis"),
		topics: map[string]*topic{}, pending: map[string][]chan struct{}{}}
}

// Publish sends payload to every subscriber of topic on every replica,
// including this one (delivery goes through Redis, never short-cut).
func (r *Redis) Publish(ctx context.Context, topic string, payload []byte) error {
	r.mu.Lock()
	closed := r.closed
	r.mu.Unlock()
	if closed {
		return ErrClosed
	}
	return r.client.Publish(ctx, r.prefix+topic, payload).Err()
}

// Subscribe returns once Redis has acknowledged the subscription, so every
// event published after it returns is delivered.
func (r *Redis) Subscribe(ctx context.Context, topic string) (<-chan []byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ready, err := r.acquire(ctx, topic)
	if err != nil {
		return nil, err
	}
	out, cancel, err := r.local.subscribe(ctx, topic, func() { r.release(topic) })
	if err != nil {
		r.release(topic)
		return nil, err
	}
	timer := time.NewTimer(confirmTimeout)
	defer timer.Stop()
	select {
	case <-ready:
		return out, nil
	case <-ctx.Done():
		cancel()
		return nil, ctx.Err()
	case <-timer.C:
		cancel()
		return nil, errors.New("pubsub: redis did not confirm the subscription")
	}
}

func (r *Redis) acquire(ctx context.Context, name string) (chan struct{}, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrClosed
	}
	if t := r.topics[name]; t != nil {
		t.refs++
		return t.ready, nil
	}
	if r.ps == nil {
		r.ps = r.client.Subscribe(ctx)
	}
	ch := r.prefix + name
	t := &topic{refs: 1, ready: make(chan struct{})}
	r.pending[ch] = append(r.pending[ch], t.ready)
	r.topics[name] = t
	if err := r.ps.Subscribe(ctx, ch); err != nil {
		r.releaseLocked(name)
		return nil, err
	}
	if len(r.topics) == 1 {
		// First topic on a fresh connection: start reading only now that the
		// connection exists.
		go r.read(r.ps, r.ps.ChannelWithSubscriptions(redis.WithChannelSize(BufferSize)))
	}
	return t.ready, nil
}

func (r *Redis) release(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.releaseLocked(name)
}

func (r *Redis) releaseLocked(name string) {
	t := r.topics[name]
	if t == nil {
		return
	}
	if t.refs--; t.refs > 0 {
		return
	}
	delete(r.topics, name)
	if r.ps == nil {
		return
	}
	if len(r.topics) == 0 {
		// No topic left: drop the connection and its goroutines.
		_ = r.ps.Close()
		r.ps = nil
		clear(r.pending)
		return
	}
	_ = r.ps.Unsubscribe(context.Background(), r.prefix+name)
}

func (r *Redis) read(ps *redis.PubSub, ch <-chan any) {
	for msg := range ch {
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				r.confirm(ps, m.Channel)
			}
		case *redis.Message:
			if name, ok := strings.CutPrefix(m.Channel, r.prefix); ok {
				_ = r.local.deliver(name, []byte(m.Payload))
			}
		}
	}
}

func (r *Redis) confirm(ps *redis.PubSub, ch string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// An acknowledgement from a connection already replaced, or one that
	// go-redis's resubscription after a reconnect produced, matches nothing.
	if ps != r.ps || len(r.pending[ch]) == 0 {
		return
	}
	close(r.pending[ch][0])
	r.pending[ch] = r.pending[ch][1:]
	if len(r.pending[ch]) == 0 {
		delete(r.pending, ch)
	}
}

// Close drops the Redis subscription and closes every subscriber channel.
func (r *Redis) Close() error {
	r.mu.Lock()
	r.closed = true
	if r.ps != nil {
		_ = r.ps.Close()
		r.ps = nil
	}
	r.mu.Unlock()
	return r.local.Close()
}
