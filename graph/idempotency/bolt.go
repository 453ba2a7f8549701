package idempotency

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

var bucket = []byte("idempotency")

// sweepEvery paces the removal of expired records from the file.
const sweepEvery = 10 * time.Minute

// Bolt is the embedded Store: one bbolt file, every write fsync'd before it
// returns, so a record survives a restart. Only one process may hold it.
type Bolt struct {
	db   *bolt.DB
	stop chan struct{}
	done sync.WaitGroup
}

// OpenBolt opens (creating) the file at path; a second opener fails after
// a second instead of waiting forever.
func OpenBolt(path string) (*Bolt, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("idempotency: opening %s: %w", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("idempotency: preparing %s: %w", path, err)
	}
	s := &Bolt{db: db, stop: make(chan struct{})}
	s.done.Add(1)
	go s.sweepLoop()
	return s, nil
}

// Close stops the sweeper and closes the file.
func (s *Bolt) Close() error {
	close(s.stop)
	s.done.Wait()
	return s.db.Close()
}

func (s *Bolt) sweepLoop() {
	defer s.done.Done()
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		_ = s.sweep(time.Now())
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
	}
}

func (s *Bolt) sweep(now time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		var dead [][]byte
		_ = b.ForEach(func(k, v []byte) error {
			if r, err := decode(v); err != nil || !r.Expires.After(now) {
				dead = append(dead, k)
			}
			return nil
		})
		for _, k := range dead {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

func decode(v []byte) (*Record, error) {
	var r Record
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// live returns the unexpired record in v, if any.
func live(v []byte, now time.Time) (*Record, error) {
	if v == nil {
		return nil, nil
	}
	r, err := decode(v)
	if err != nil || !r.Expires.After(now) {
		return nil, err
	}
	return r, nil
}

// Claim implements Store.
func (s *Bolt) Claim(ctx context.Context, key string, rec Record, ttl time.Duration) (*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := time.Now()
	rec.Expires = now.Add(ttl)
	val, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	var found *Record
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		r, err := live(b.Get([]byte(key)), now)
		if err != nil || r != nil {
			found = r
			return err
		}
		return b.Put([]byte(key), val)
	})
	return found, err
}

// Put implements Store.
func (s *Bolt) Put(ctx context.Context, key string, rec Record, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rec.Expires = time.Now().Add(ttl)
	val, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte(key), val) })
}

// Delete implements Store.
func (s *Bolt) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Delete([]byte(key)) })
}

// Get implements Store.
func (s *Bolt) Get(ctx context.Context, key string) (*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var found *Record
	err := s.db.View(func(tx *bolt.Tx) error {
		r, err := live(tx.Bucket(bucket).Get([]byte(key)), time.Now())
		found = r
		return err
	})
	return found, err
}
