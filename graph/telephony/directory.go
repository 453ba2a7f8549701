package telephony

import (
	"context"
	"encoding/json"
	"time"

	"switchboard/graph/cache"
	"switchboard/sources/phone"
)

// directoryTTL keeps a phone seen among an upstream's customers: MMP has no
// search by phone, so the gateway can only name the customers it has met.
const directoryTTL = 30 * 24 * time.Hour

// Directory remembers the customers the gateway has seen, by phone, in the
// shared cache (so every replica, and restarts when it is Redis, know them).
type Directory struct {
	cache *cache.Cache
}

// NewDirectory builds a Directory over the shared cache.
func NewDirectory(c *cache.Cache) *Directory { return &Directory{cache: c} }

func dirKey(p string) cache.Key { return cache.Key{Source: Source, Operation: "directory", ID: p} }

// Remember records who answers at each of phones (raw upstream forms;
// unparsable ones are skipped). Failures only cost a future lookup.
func (d *Directory) Remember(ctx context.Context, c Contact, phones ...string) {
	for _, raw := range phones {
		p, err := phone.Normalize(raw)
		if err != nil {
			continue
		}
		c.Phone = p
		b, err := json.Marshal(c)
		if err != nil {
			continue
		}
		_ = d.cache.Put(ctx, dirKey(p), directoryTTL, b)
	}
}

// Lookup is a telephony Lookup over the directory.
func (d *Directory) Lookup(ctx context.Context, p string) (Contact, bool, error) {
	b, ok, err := d.cache.Get(ctx, dirKey(p))
	if err != nil || !ok {
		return Contact{}, false, err
	}
	var c Contact
	if err := json.Unmarshal(b, &c); err != nil {
		return Contact{}, false, nil
	}
	return c, c.Name != "", nil
}
