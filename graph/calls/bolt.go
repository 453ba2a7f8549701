package calls

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketCalls = []byte("calls")
	bucketTime  = []byte("by_time")  // position → nil
	bucketPhone = []byte("by_phone") // phone \x00 position → nil
	bucketUser  = []byte("by_user")  // user \x00 position → nil
)

// Bolt is the embedded Store: one bbolt file. Every write is committed and
// fsync'd before it returns, so an acknowledged event survives a crash.
type Bolt struct {
	db        *bolt.DB
	retention time.Duration
	now       func() time.Time // the clock of the retention; tests move it
}

// OpenTimeout is how long OpenBolt waits for another process to release
// the file: longer than a stopping gateway may hold it (5 s), so a restart
// that overlaps the stop waits instead of failing, yet a second gateway
// pointed at the same directory by mistake fails instead of waiting forever.
const OpenTimeout = 10 * time.Second

// OpenBolt opens (creating) the store file at path. Only one process may
// hold it; a second opener waits up to OpenTimeout.
func OpenBolt(path string) (*Bolt, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: OpenTimeout})
	if err != nil {
		return nil, fmt.Errorf("calls: opening %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketCalls, bucketTime, bucketPhone, bucketUser} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("calls: preparing %s: %w", path, err)
	}
	return &Bolt{db: db, now: time.Now}, nil
}

// Retain keeps the calls that started within d (0: for ever), as Redis's
// Retain does: the older ones are deleted now, and again on every write, so
// the file stops growing with the years.
func (s *Bolt) Retain(d time.Duration) error {
	s.retention = d
	return s.db.Update(s.trim)
}

// trim deletes the calls that started before the retention. Older calls
// sort last in the time index (inverted time), so they are one seek away
// and a write that finds none pays one seek.
func (s *Bolt) trim(tx *bolt.Tx) error {
	if s.retention <= 0 {
		return nil
	}
	calls := tx.Bucket(bucketCalls)
	cutoff := binary.BigEndian.AppendUint64(nil, invTime(s.now().Add(-s.retention))+1)
	var old []Call
	cur := tx.Bucket(bucketTime).Cursor()
	for k, _ := cur.Seek(cutoff); k != nil; k, _ = cur.Next() {
		if len(k) < 8 {
			continue
		}
		c, err := decodeCall(calls, k[8:])
		if err != nil {
			return err
		}
		old = append(old, c)
	}
	for _, c := range old {
		if err := deleteIndexes(tx, c); err != nil {
			return err
		}
		if err := calls.Delete([]byte(c.ID)); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the file.
func (s *Bolt) Close() error { return s.db.Close() }

// RecordEvent implements Store.
func (s *Bolt) RecordEvent(ctx context.Context, callID string, ev Event, patch CallPatch) (Call, error) {
	if err := validID(callID); err != nil {
		return Call{}, err
	}
	return s.update(ctx, callID, func(c *Call) { applyEvent(c, callID, ev, patch) })
}

// RecordHistory implements Store.
func (s *Bolt) RecordHistory(ctx context.Context, h History) (Call, error) {
	if err := validID(h.CallID); err != nil {
		return Call{}, err
	}
	return s.update(ctx, h.CallID, func(c *Call) { applyHistory(c, h) })
}

func (s *Bolt) update(ctx context.Context, id string, apply func(*Call)) (Call, error) {
	if err := ctx.Err(); err != nil {
		return Call{}, err
	}
	var out Call
	err := s.db.Update(func(tx *bolt.Tx) error {
		calls := tx.Bucket(bucketCalls)
		var old *Call
		if raw := calls.Get([]byte(id)); raw != nil {
			old = new(Call)
			if err := json.Unmarshal(raw, old); err != nil {
				return fmt.Errorf("calls: decoding %q: %w", id, err)
			}
			out = *old
			out.Events = append([]Event(nil), old.Events...)
		}
		apply(&out)
		raw, err := json.Marshal(out)
		if err != nil {
			return err
		}
		if err := calls.Put([]byte(id), raw); err != nil {
			return err
		}
		if old != nil {
			if err := deleteIndexes(tx, *old); err != nil {
				return err
			}
		}
		if err := putIndexes(tx, out); err != nil {
			return err
		}
		return s.trim(tx)
	})
	return out, err
}

func indexKeys(c Call) map[string][]byte {
	pos := positionOf(c).bytes()
	keys := map[string][]byte{string(bucketTime): pos}
	if c.Phone != "" {
		keys[string(bucketPhone)] = prefixed(c.Phone, pos)
	}
	if c.User != "" {
		keys[string(bucketUser)] = prefixed(c.User, pos)
	}
	return keys
}

func prefixed(p string, pos []byte) []byte {
	return append(append([]byte(p), 0), pos...)
}

func putIndexes(tx *bolt.Tx, c Call) error {
	for b, k := range indexKeys(c) {
		if err := tx.Bucket([]byte(b)).Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

func deleteIndexes(tx *bolt.Tx, c Call) error {
	for b, k := range indexKeys(c) {
		if err := tx.Bucket([]byte(b)).Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Get implements Store.
func (s *Bolt) Get(ctx context.Context, id string) (Call, bool, error) {
	if err := ctx.Err(); err != nil {
		return Call{}, false, err
	}
	var c Call
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketCalls).Get([]byte(id))
		if raw == nil {
			return nil
		}
		found = true
		return json.Unmarshal(raw, &c)
	})
	return c, found, err
}

// List implements Store. It walks the most selective index (phone, then
// user, then time) between Until and Since, counting every match for
// TotalCount and keeping the page after the cursor.
func (s *Bolt) List(ctx context.Context, f Filter) (Page, error) {
	if err := ctx.Err(); err != nil {
		return Page{}, err
	}
	var after []byte
	if f.After != "" {
		p, err := parseCursor(f.After)
		if err != nil {
			return Page{}, err
		}
		after = p.bytes()
	}
	first := pageSize(f.First)
	bucket, prefix := bucketTime, []byte(nil)
	switch {
	case f.Phone != "":
		bucket, prefix = bucketPhone, append([]byte(f.Phone), 0)
	case f.User != "":
		bucket, prefix = bucketUser, append([]byte(f.User), 0)
	}
	var page Page
	err := s.db.View(func(tx *bolt.Tx) error {
		calls := tx.Bucket(bucketCalls)
		cur := tx.Bucket(bucket).Cursor()
		seek := prefix
		if !f.Until.IsZero() {
			// positions of calls started before Until are > invTime(Until)
			seek = binary.BigEndian.AppendUint64(bytes.Clone(prefix), invTime(f.Until)+1)
		}
		for k, _ := cur.Seek(seek); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
			pos := k[len(prefix):]
			if len(pos) < 8 {
				continue
			}
			if !f.Since.IsZero() && binary.BigEndian.Uint64(pos) > invTime(f.Since) {
				break
			}
			// the index and the range already applied every filter but the
			// user when walking the phone index
			if f.Phone != "" && f.User != "" {
				c, err := decodeCall(calls, pos[8:])
				if err != nil || c.User != f.User {
					continue
				}
			}
			page.TotalCount++
			if after != nil && bytes.Compare(pos, after) <= 0 {
				continue
			}
			if len(page.Calls) == first {
				page.HasNextPage = true
				continue
			}
			c, err := decodeCall(calls, pos[8:])
			if err != nil {
				return err
			}
			page.Calls = append(page.Calls, c)
		}
		return nil
	})
	if err != nil {
		return Page{}, err
	}
	if n := len(page.Calls); n > 0 {
		page.EndCursor = positionOf(page.Calls[n-1]).cursor()
	}
	return page, nil
}

func decodeCall(b *bolt.Bucket, id []byte) (Call, error) {
	var c Call
	raw := b.Get(id)
	if raw == nil {
		return c, fmt.Errorf("calls: index names a missing call %q", id)
	}
	return c, json.Unmarshal(raw, &c)
}
