package telephony

import (
	"context"
	"encoding/json"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"switchboard/graph/cache"
	"switchboard/graph/errs"
	"switchboard/sources/phone"
)

var contactFailures = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "switchboard_caller_lookup_failures_total",
	Help: "Caller lookups that could not say who calls, by reason (error: a lookup failed; timeout: past ContactTimeout).",
}, []string{"reason"})

// ContactErr looks a caller up across the lookups, from the cache when it
// can, within ContactTimeout. A failed lookup is an error (logged and
// counted), never "nobody"; found is false only when every lookup answered
// and none knows the phone.
func (s *Service) ContactErr(ctx context.Context, p string) (Contact, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, ContactTimeout)
	defer cancel()
	type answer struct {
		c   Contact
		ok  bool
		err error
	}
	done := make(chan answer, 1)
	go func() {
		// The lookup goes on after a timeout so that the next ring of the
		// same phone is served from the cache.
		lctx, lcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*ContactTimeout)
		defer lcancel()
		c, err := cache.GetJSON(lctx, s.o.Cache, cache.Key{Source: Source, Operation: "contact", ID: p}, contactTTL,
			func(ctx context.Context) (*Contact, error) { return s.lookup(ctx, p) })
		if err != nil {
			contactFailures.WithLabelValues("error").Inc()
			s.o.Logger.Warn("caller lookup failed", "err", err)
		}
		done <- answer{deref(c), err == nil && c != nil && c.Name != "", err}
	}()
	select {
	case a := <-done:
		return a.c, a.ok, a.err
	case <-ctx.Done():
		contactFailures.WithLabelValues("timeout").Inc()
		s.o.Logger.Warn("caller lookup took longer than its bound; answered empty", "bound", ContactTimeout)
		// Before any Lookup, the wait is for the cache (the gateway's store).
		src := "store"
		if v, ok := s.asking.Load(p); ok {
			src = v.(string)
		}
		return Contact{}, false, &errs.Error{Code: errs.UpstreamTimeout, Source: src,
			Message: "caller lookup took longer than " + ContactTimeout.String() + " (waiting for " + src + ")"}
	}
}

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
