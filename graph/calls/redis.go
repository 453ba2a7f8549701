package calls

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// maxTxRetries bounds optimistic-transaction retries when writers of the
// same call collide.
const maxTxRetries = 200

// Redis is the Store that several gateway replicas share. A call is a JSON
// string under {prefix}call:{id}; indexes are sorted sets of members
// "{16 hex digits of the inverted start time}:{id}" at score 0, read in
// lexicographic order (newest first): {prefix}idx:all, {prefix}idx:phone:{phone},
// {prefix}idx:user:{user}. A write reads the call under WATCH and replaces
// it and its index members in one MULTI, retrying when another writer of
// the same call got there first, so no event is lost.
type Redis struct {
	rdb       redis.UniversalClient
	prefix    string
	retention time.Duration
}

// Retain keeps each call for d after its last write (0: for ever): its key
// expires, and each write drops the index members of calls started more
// than d ago.
func (s *Redis) Retain(d time.Duration) *Redis {
	s.retention = d
	return s
}

// NewRedis uses rdb with every key under prefix (e.g. "switchboard:calls:").
// The client stays the caller's: Close does not close it.
func NewRedis(rdb redis.UniversalClient, prefix string) *Redis {
	return &Redis{rdb: rdb, prefix: prefix}
}

// Close implements Store; the Redis client is left open.
func (s *Redis) Close() error { return nil }

func (s *Redis) callKey(id string) string { return s.prefix + "call:" + id }

func (s *Redis) indexes(c Call) map[string]string {
	m := member(positionOf(c))
	out := map[string]string{s.prefix + "idx:all": m}
	if c.Phone != "" {
		out[s.prefix+"idx:phone:"+c.Phone] = m
	}
	if c.User != "" {
		out[s.prefix+"idx:user:"+c.User] = m
	}
	return out
}

func member(p position) string { return fmt.Sprintf("%016x:%s", p.inv, p.id) }

// RecordEvent implements Store.
func (s *Redis) RecordEvent(ctx context.Context, callID string, ev Event, patch CallPatch) (Call, error) {
	if err := validID(callID); err != nil {
		return Call{}, err
	}
	if ev.At.IsZero() {
		ev.At = time.Now() // fixed once, so a retried transaction records the same event
	}
	return s.update(ctx, callID, func(c *Call) { applyEvent(c, callID, ev, patch) })
}

// RecordHistory implements Store.
func (s *Redis) RecordHistory(ctx context.Context, h History) (Call, error) {
	if err := validID(h.CallID); err != nil {
		return Call{}, err
	}
	if h.ReceivedAt.IsZero() {
		h.ReceivedAt = time.Now()
	}
	return s.update(ctx, h.CallID, func(c *Call) { applyHistory(c, h) })
}

func (s *Redis) update(ctx context.Context, id string, apply func(*Call)) (Call, error) {
	key := s.callKey(id)
	var out Call
	txf := func(tx *redis.Tx) error {
		out = Call{}
		var old *Call
		raw, err := tx.Get(ctx, key).Bytes()
		switch {
		case errors.Is(err, redis.Nil):
		case err != nil:
			return err
		default:
			old = new(Call)
			if err := json.Unmarshal(raw, old); err != nil {
				return fmt.Errorf("calls: decoding %q: %w", id, err)
			}
			out = *old
			out.Events = append([]Event(nil), old.Events...)
		}
		apply(&out)
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, b, s.retention)
			if old != nil {
				for k, m := range s.indexes(*old) {
					p.ZRem(ctx, k, m)
				}
			}
			for k, m := range s.indexes(out) {
				p.ZAdd(ctx, k, redis.Z{Member: m})
				if s.retention > 0 {
					// Older calls sort after newer ones (inverted time).
					p.ZRemRangeByLex(ctx, k, fmt.Sprintf("(%016x;", invTime(time.Now().Add(-s.retention))), "+")
				}
			}
			return nil
		})
		return err
	}
	for range maxTxRetries {
		err := s.rdb.Watch(ctx, txf, key)
		if !errors.Is(err, redis.TxFailedErr) {
			return out, err
		}
		t := time.NewTimer(time.Duration(rand.Int64N(int64(2 * time.Millisecond))))
		select {
		case <-ctx.Done():
			t.Stop()
			return Call{}, ctx.Err()
		case <-t.C:
		}
	}
	return Call{}, fmt.Errorf("calls: too much contention on call %q", id)
}

// Get implements Store.
func (s *Redis) Get(ctx context.Context, id string) (Call, bool, error) {
	raw, err := s.rdb.Get(ctx, s.callKey(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Call{}, false, nil
	}
	if err != nil {
		return Call{}, false, err
	}
	var c Call
	if err := json.Unmarshal(raw, &c); err != nil {
		return Call{}, false, fmt.Errorf("calls: decoding %q: %w", id, err)
	}
	return c, true, nil
}

// List implements Store. With one of Phone or User it counts and pages in
// Redis (ZLEXCOUNT, ZRANGEBYLEX); with both it walks the phone index and
// checks the user of each call.
func (s *Redis) List(ctx context.Context, f Filter) (Page, error) {
	first := pageSize(f.First)
	key := s.prefix + "idx:all"
	switch {
	case f.Phone != "":
		key = s.prefix + "idx:phone:" + f.Phone
	case f.User != "":
		key = s.prefix + "idx:user:" + f.User
	}
	// members sharing one time prefix H sort between "H:" and "H;"
	lo, hi := "-", "+"
	if !f.Until.IsZero() {
		lo = fmt.Sprintf("(%016x;", invTime(f.Until))
	}
	if !f.Since.IsZero() {
		hi = fmt.Sprintf("(%016x;", invTime(f.Since))
	}
	start := lo
	if f.After != "" {
		p, err := parseCursor(f.After)
		if err != nil {
			return Page{}, err
		}
		if c := "(" + member(p); lo == "-" || c[1:] > lo[1:] {
			start = c
		}
	}
	if f.Phone != "" && f.User != "" {
		return s.listScan(ctx, key, lo, hi, start, first, f)
	}
	total, err := s.rdb.ZLexCount(ctx, key, lo, hi).Result()
	if err != nil {
		return Page{}, err
	}
	members, err := s.rdb.ZRangeByLex(ctx, key, &redis.ZRangeBy{Min: start, Max: hi, Count: int64(first + 1)}).Result()
	if err != nil {
		return Page{}, err
	}
	page := Page{TotalCount: int(total)}
	if len(members) > first {
		page.HasNextPage = true
		members = members[:first]
	}
	page.Calls, err = s.load(ctx, members)
	if err != nil {
		return Page{}, err
	}
	if n := len(page.Calls); n > 0 {
		page.EndCursor = positionOf(page.Calls[n-1]).cursor()
	}
	return page, nil
}

func (s *Redis) listScan(ctx context.Context, key, lo, hi, start string, first int, f Filter) (Page, error) {
	members, err := s.rdb.ZRangeByLex(ctx, key, &redis.ZRangeBy{Min: lo, Max: hi}).Result()
	if err != nil {
		return Page{}, err
	}
	all, err := s.load(ctx, members)
	if err != nil {
		return Page{}, err
	}
	var page Page
	for _, c := range all {
		if !matches(c, f) {
			continue
		}
		page.TotalCount++
		if start != lo && member(positionOf(c)) <= start[1:] {
			continue
		}
		if len(page.Calls) == first {
			page.HasNextPage = true
			continue
		}
		page.Calls = append(page.Calls, c)
	}
	if n := len(page.Calls); n > 0 {
		page.EndCursor = positionOf(page.Calls[n-1]).cursor()
	}
	return page, nil
}

// load fetches the calls named by index members, in order, skipping any
// removed since the index was read.
func (s *Redis) load(ctx context.Context, members []string) ([]Call, error) {
	if len(members) == 0 {
		return nil, nil
	}
	keys := make([]string, len(members))
	for i, m := range members {
		if len(m) < 18 {
			return nil, fmt.Errorf("calls: bad index member %q", m)
		}
		keys[i] = s.callKey(m[17:])
	}
	vals, err := s.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, err
	}
	out := make([]Call, 0, len(vals))
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue
		}
		var c Call
		if err := json.Unmarshal([]byte(str), &c); err != nil {
			return nil, fmt.Errorf("calls: decoding %s: %w", strconv.Quote(keys[i]), err)
		}
		out = append(out, c)
	}
	return out, nil
}
