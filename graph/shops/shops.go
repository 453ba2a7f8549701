// Package shops serves Shop Application to the resolvers: cached reads,
// per-request loaders so `interfaces { prestations }` fans out concurrently
// and never asks twice for the same thing, the documented business rules
// checked against the cached catalogue before any order reaches Shop, and
// cache invalidation after every write.
package shops

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"

	"switchboard/graph/cache"
	"switchboard/graph/errs"
	"switchboard/graph/loaders"
	"switchboard/sources/phone"
	"switchboard/sources/shop"
	"switchboard/sources/upstream"
)

// Cache lifetimes: interfaces change with orders (invalidated by our own
// mutations); the catalogue changes rarely.
const (
	interfaceTTL = time.Minute
	catalogueTTL = time.Hour
)

// cache operations (namespaces) invalidated by mutations.
const (
	opInterfaces          = "interfaces"
	opInterface           = "interface"
	opInterfacePrestation = "interface_prestations"
	opCatalogue           = "catalogue"
)

// Service is Shop for the resolvers.
type Service struct {
	client *shop.Client
	cache  *cache.Cache
}

// New wraps a Shop client and the shared cache.
func New(c *shop.Client, ch *cache.Cache) *Service { return &Service{client: c, cache: ch} }

// Ordered is one prestation occurrence of an interface.
type Ordered = shop.OrderedPrestation

type loader struct {
	iface   *loaders.Group[string, *shop.Interface]
	ordered *loaders.Group[string, []Ordered]
}

// WithLoader gives one GraphQL request its own loaders, built when the
// request first reaches Shop.
func (s *Service) WithLoader(ctx context.Context) context.Context { return loaders.WithScope(ctx) }

func (s *Service) newLoader() *loader {
	return &loader{
		iface: loaders.FanOut(func(ctx context.Context, key string) (*shop.Interface, error) {
			return cache.GetJSON(ctx, s.cache, cache.Key{Source: shop.Source, Operation: opInterface, ID: key}, interfaceTTL,
				func(ctx context.Context) (*shop.Interface, error) { return s.client.Interface(ctx, key) })
		}),
		ordered: loaders.FanOut(s.orderedPrestations),
	}
}

func (s *Service) loader(ctx context.Context) *loader { return loaders.For(ctx, s, s.newLoader) }

// InterfaceKeys lists the account's interfaces.
func (s *Service) InterfaceKeys(ctx context.Context) ([]string, error) {
	return cache.GetJSON(ctx, s.cache, cache.Key{Source: shop.Source, Operation: opInterfaces, ID: "all"}, interfaceTTL, s.client.Interfaces)
}

// Interface is one interface's detail.
func (s *Service) Interface(ctx context.Context, key string) (*shop.Interface, error) {
	return s.loader(ctx).iface.Get(ctx, key)
}

// Interfaces loads many interfaces concurrently; failures are per key.
func (s *Service) Interfaces(ctx context.Context, keys []string) ([]*shop.Interface, []error) {
	thunks := s.loader(ctx).iface.LoadMany(ctx, keys)
	return thunks()
}

// OrderedPrestations of an interface: its codes, then each distinct code's
// occurrences, concurrently. The list may name a code once per copy, and
// the detail of a code already returns every copy: asking it once per
// distinct code gives each copy exactly once.
func (s *Service) OrderedPrestations(ctx context.Context, key string) ([]Ordered, error) {
	return s.loader(ctx).ordered.Get(ctx, key)
}

// PrefetchOrderedPrestations hands this request's loader the cached
// prestation lists of keys in one cache read, for a parent about to ask for
// each: a warm list then costs its child a map lookup, where a cache read
// each was two store round trips. Keys not cached fresh are left to
// OrderedPrestations, so Shop is called exactly as without it.
func (s *Service) PrefetchOrderedPrestations(ctx context.Context, keys []string) {
	ks := make([]cache.Key, len(keys))
	for i, k := range keys {
		ks[i] = orderedKey(k)
	}
	lists, ok := cache.GetManyJSON[[]Ordered](ctx, s.cache, ks)
	l := s.loader(ctx).ordered
	for i, k := range keys {
		if ok[i] {
			l.Prime(k, lists[i])
		}
	}
}

func orderedKey(key string) cache.Key {
	return cache.Key{Source: shop.Source, Operation: opInterfacePrestation, ID: key}
}

func (s *Service) orderedPrestations(ctx context.Context, key string) ([]Ordered, error) {
	return cache.GetJSON(ctx, s.cache, orderedKey(key), interfaceTTL,
		func(ctx context.Context) ([]Ordered, error) {
			listed, err := s.client.InterfacePrestations(ctx, key)
			if err != nil {
				return nil, err
			}
			codes := distinct(listed)
			per := make([][]Ordered, len(codes))
			errc := make(chan error, len(codes))
			for i, code := range codes {
				go func() {
					list, err := s.client.InterfacePrestation(ctx, key, code)
					per[i] = list
					errc <- err
				}()
			}
			var all error
			for range codes {
				all = errors.Join(all, <-errc)
			}
			if all != nil {
				return nil, all
			}
			var out []Ordered
			for _, list := range per {
				out = append(out, list...)
			}
			return out, nil
		})
}

// distinct keeps the first occurrence of each code, in order.
func distinct(codes []string) []string {
	seen := make(map[string]bool, len(codes))
	out := codes[:0:0]
	for _, c := range codes {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// Catalogue is every prestation with its detail, cached for an hour and
// then served stale while one refresh runs (it changes rarely, and an order
// check must not wait for 1+N catalogue calls).
func (s *Service) Catalogue(ctx context.Context) ([]shop.Prestation, error) {
	return cache.GetJSONSWR(ctx, s.cache, cache.Key{Source: shop.Source, Operation: opCatalogue, ID: "all"}, catalogueTTL, s.client.Catalogue)
}

// Prestation is one catalogue entry, or NOT_FOUND.
func (s *Service) Prestation(ctx context.Context, code string) (*shop.Prestation, error) {
	cat, err := s.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	for i := range cat {
		if cat[i].Code == code {
			return &cat[i], nil
		}
	}
	return nil, errs.NotFoundf(shop.Source, "no prestation %q in the catalogue", code)
}

// CreateInterface checks the order, then places it.
func (s *Service) CreateInterface(ctx context.Context, req shop.CreateInterfaceRequest) (string, error) {
	if strings.TrimSpace(req.GUID) == "" {
		return "", errs.BadInput("input.guid", "guid is required")
	}
	if _, err := mail.ParseAddress(req.Client.Email); err != nil || strings.ContainsAny(req.Client.Email, "<> ") {
		return "", errs.BadInput("input.client.email", "%q is not an e-mail address", req.Client.Email)
	}
	if req.Client.LastName == "" && req.Client.Company == "" {
		return "", errs.BadInput("input.client", "client needs a lastName or a company")
	}
	if req.Client.Phone != "" {
		n, err := phone.Normalize(req.Client.Phone)
		if err != nil {
			return "", errs.BadInput("input.client.phone", "%q is not a phone number", req.Client.Phone)
		}
		req.Client.Phone = n
	}
	cat, err := s.Catalogue(ctx)
	if err != nil {
		return "", err
	}
	if err := shop.ValidateCreate(req.Prestations, cat); err != nil {
		return "", ruleError("input.prestations", err)
	}
	key, err := s.client.CreateInterface(ctx, req)
	if err != nil {
		return "", err
	}
	s.invalidate(ctx, cache.Key{Source: shop.Source, Operation: opInterfaces, ID: "all"})
	return key, nil
}

// DeleteInterface requests deletion.
func (s *Service) DeleteInterface(ctx context.Context, key string) error {
	if _, err := s.client.DeleteInterface(ctx, key); err != nil {
		return err
	}
	s.forgetInterface(ctx, key)
	return nil
}

// ReactivateInterface cancels a deletion request and returns Shop's answer
// (the reactivation date).
func (s *Service) ReactivateInterface(ctx context.Context, key string) (*shop.Reactivation, error) {
	r, err := s.client.ReactivateInterface(ctx, key)
	if err != nil {
		return nil, err
	}
	s.forgetInterface(ctx, key)
	return r, nil
}

// AddPrestations checks the addition, then orders it.
func (s *Service) AddPrestations(ctx context.Context, key string, codes []string) ([]shop.PrestationLink, error) {
	cat, err := s.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	err = shop.ValidateAdd(codes, nil, cat)
	var re *upstream.InputError
	if errors.As(err, &re) && re.Rule == shop.RuleAssociation {
		// An associated prestation already active on the interface
		// satisfies the rule: read them only when the order alone does not.
		ordered, oerr := s.OrderedPrestations(ctx, key)
		if oerr != nil {
			return nil, oerr
		}
		err = shop.ValidateAdd(codes, activeCodes(ordered), cat)
	}
	if err != nil {
		return nil, ruleError("codes", err)
	}
	links, err := s.client.AddPrestations(ctx, key, codes)
	if err != nil {
		return nil, err
	}
	s.forgetPrestations(ctx, key)
	return links, nil
}

func activeCodes(ordered []Ordered) []string {
	var out []string
	for _, o := range ordered {
		if !o.Cancelled {
			out = append(out, o.Code)
		}
	}
	return out
}

// CancelPrestation cancels by code or unique reference.
func (s *Service) CancelPrestation(ctx context.Context, key, codeOrRef string) ([]shop.PrestationLink, error) {
	links, err := s.client.CancelPrestation(ctx, key, codeOrRef)
	if err != nil {
		return nil, err
	}
	s.forgetPrestations(ctx, key)
	return links, nil
}

// forgetInterface drops an interface's detail from the shared cache and
// from this request's loader, so the mutation answers the new state.
func (s *Service) forgetInterface(ctx context.Context, key string) {
	s.invalidate(ctx, cache.Key{Source: shop.Source, Operation: opInterface, ID: key})
	s.loader(ctx).iface.Clear(ctx, key)
}

func (s *Service) forgetPrestations(ctx context.Context, key string) {
	s.invalidate(ctx, orderedKey(key))
	s.loader(ctx).ordered.Clear(ctx, key)
}

// invalidate drops an entry a write made stale. The write has happened, so
// a cache failure is logged by the cache and not returned.
func (s *Service) invalidate(ctx context.Context, k cache.Key) {
	_ = s.cache.Delete(ctx, k)
}

// ruleError names the argument a broken business rule is about (graph/errs
// reports the *upstream.InputError as BAD_USER_INPUT with its rule).
func ruleError(field string, err error) error {
	var re *upstream.InputError
	if errors.As(err, &re) {
		return &upstream.InputError{Field: field, Rule: re.Rule, Message: re.Message}
	}
	return errs.BadInput(field, "%s", err.Error())
}
