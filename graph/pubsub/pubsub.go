package pubsub

import (
	"context"
	"errors"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// BufferSize is how many undelivered events a subscriber may lag behind
// before the oldest ones are dropped.
const BufferSize = 64

// ErrClosed is returned by a bus used after Close.
var ErrClosed = errors.New("pubsub: bus closed")

var droppedTotal = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "switchboard_pubsub_dropped_total",
	Help: "Events dropped because a subscriber's buffer was full (oldest dropped first).",
}, []string{"bus"})

// Bus fans events out to the subscribers of a topic. Publish never blocks on
// a slow subscriber. The channel returned by Subscribe is closed when ctx is
// done (or the bus is closed); payloads received are shared between
// subscribers and must not be modified.
type Bus interface {
	Publish(ctx context.Context, topic string, payload []byte) error
	Subscribe(ctx context.Context, topic string) (<-chan []byte, error)
}

// Memory is an in-process Bus, for a single replica and for tests.
type Memory struct {
	dropped prometheus.Counter

	mu     sync.RWMutex
	topics map[string]map[*subscriber]struct{}
	closed bool
}

type subscriber struct {
	ch   chan []byte
	stop func() bool
}

// NewMemory returns an empty in-process bus.
func NewMemory() *Memory { return newMemory("memory") }

func newMemory(label string) *Memory {
	return &Memory{dropped: droppedTotal.WithLabelValues(label), topics: map[string]map[*subscriber]struct{}{}}
}

// Publish copies payload once and offers it to every current subscriber.
func (m *Memory) Publish(ctx context.Context, topic string, payload []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return m.deliver(topic, append([]byte(nil), payload...))
}

func (m *Memory) deliver(topic string, payload []byte) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return ErrClosed
	}
	for s := range m.topics[topic] {
		m.offer(s.ch, payload)
	}
	return nil
}

// offer never blocks: on a full buffer it drops the oldest event and retries
// once; if a concurrent publisher refilled the slot, the new event is dropped.
func (m *Memory) offer(ch chan []byte, p []byte) {
	for range 2 {
		select {
		case ch <- p:
			return
		default:
		}
		select {
		case <-ch:
			m.dropped.Inc()
		default:
		}
	}
	m.dropped.Inc()
}

// Subscribe registers a subscriber until ctx is done.
func (m *Memory) Subscribe(ctx context.Context, topic string) (<-chan []byte, error) {
	ch, _, err := m.subscribe(ctx, topic, nil)
	return ch, err
}

// subscribe also returns a cancel func ending the subscription early, and
// runs onDone once the subscription ends through ctx or cancel.
func (m *Memory) subscribe(ctx context.Context, topic string, onDone func()) (<-chan []byte, func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	s := &subscriber{ch: make(chan []byte, BufferSize)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, nil, ErrClosed
	}
	subs := m.topics[topic]
	if subs == nil {
		subs = map[*subscriber]struct{}{}
		m.topics[topic] = subs
	}
	subs[s] = struct{}{}
	done := func() {
		m.unsubscribe(topic, s)
		if onDone != nil {
			onDone()
		}
	}
	// AfterFunc rather than a goroutine per subscriber: nothing to leak.
	s.stop = context.AfterFunc(ctx, done)
	cancel := func() {
		if s.stop() {
			done()
		}
	}
	return s.ch, cancel, nil
}

func (m *Memory) unsubscribe(topic string, s *subscriber) {
	m.mu.Lock()
	defer m.mu.Unlock()
	subs := m.topics[topic]
	if _, ok := subs[s]; !ok {
		return
	}
	delete(subs, s)
	if len(subs) == 0 {
		delete(m.topics, topic)
	}
	close(s.ch)
}

// Close closes every subscriber channel; later calls return ErrClosed.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	for _, subs := range m.topics {
		for s := range subs {
			s.stop()
			close(s.ch)
		}
	}
	m.topics = nil
	return nil
}
