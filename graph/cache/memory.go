package cache

import (
	"container/list"
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Memory is an in-process Store bounded to maxEntries with strict LRU
// eviction. Expired entries are dropped when read or when they sit at the
// cold end of the LRU list during an insertion, so there is no sweeper
// goroutine.
type Memory struct {
	mu     sync.Mutex
	max    int
	ll     *list.List // front = most recently used
	items  map[string]*list.Element
	closed bool
	now    func() time.Time
}

type memEntry struct {
	key     string
	value   []byte
	expires time.Time // zero: never
}

// NewMemory returns a Memory holding at most maxEntries keys (minimum 1).
func NewMemory(maxEntries int) *Memory {
	if maxEntries < 1 {
		maxEntries = 1
	}
	return &Memory{max: maxEntries, ll: list.New(), items: map[string]*list.Element{}, now: time.Now}
}

// Len reports the number of entries held, including expired ones not yet swept.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ll.Len()
}

func (m *Memory) live(el *list.Element, now time.Time) bool {
	e := el.Value.(*memEntry)
	if !e.expires.IsZero() && !now.Before(e.expires) {
		m.remove(el)
		return false
	}
	return true
}

func (m *Memory) remove(el *list.Element) {
	m.ll.Remove(el)
	delete(m.items, el.Value.(*memEntry).key)
}

// Get returns a copy of the value so callers cannot corrupt the store.
func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	v, ok, err := m.view(key)
	if !ok {
		return nil, false, err
	}
	return append([]byte(nil), v...), true, nil
}

// view is Get without the copy, for the cache's own reads, which never
// modify what they read: a stored value is never written in place (Set
// replaces it), so a warm read of a large value costs no copy.
func (m *Memory) view(key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, false, ErrClosed
	}
	el, ok := m.items[key]
	if !ok || !m.live(el, m.now()) {
		return nil, false, nil
	}
	m.ll.MoveToFront(el)
	return el.Value.(*memEntry).value, true, nil
}

func (m *Memory) GetMany(ctx context.Context, keys []string) ([][]byte, error) {
	out := make([][]byte, len(keys))
	for i, k := range keys {
		v, ok, err := m.Get(ctx, k)
		if err != nil {
			return nil, err
		}
		if ok {
			out[i] = v
		}
	}
	return out, nil
}

func (m *Memory) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	var exp time.Time
	if ttl > 0 {
		exp = m.now().Add(ttl)
	}
	m.put(key, append([]byte(nil), value...), exp)
	return nil
}

func (m *Memory) put(key string, value []byte, exp time.Time) {
	if el, ok := m.items[key]; ok {
		e := el.Value.(*memEntry)
		e.value, e.expires = value, exp
		m.ll.MoveToFront(el)
		return
	}
	m.items[key] = m.ll.PushFront(&memEntry{key: key, value: value, expires: exp})
	m.evict()
}

// evict first sweeps a few expired entries from the cold end, then drops
// least recently used ones until the bound holds.
func (m *Memory) evict() {
	now := m.now()
	for i, el := 0, m.ll.Back(); i < 8 && el != nil; i++ {
		prev := el.Prev()
		m.live(el, now)
		el = prev
	}
	for m.ll.Len() > m.max {
		m.remove(m.ll.Back())
	}
}

func (m *Memory) Delete(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	for _, k := range keys {
		if el, ok := m.items[k]; ok {
			m.remove(el)
		}
	}
	return nil
}

func (m *Memory) Incr(_ context.Context, key string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, ErrClosed
	}
	var n int64
	var exp time.Time
	if el, ok := m.items[key]; ok && m.live(el, m.now()) {
		e := el.Value.(*memEntry)
		v, err := strconv.ParseInt(string(e.value), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("cache: incr %q: value is not an integer", key)
		}
		n, exp = v, e.expires
	}
	n++
	m.put(key, []byte(strconv.FormatInt(n, 10)), exp)
	return n, nil
}

func (m *Memory) Ping(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	return nil
}

// Close drops every entry; later calls return ErrClosed.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.ll.Init()
	m.items = map[string]*list.Element{}
	return nil
}
