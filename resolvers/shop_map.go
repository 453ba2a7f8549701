package resolvers

import (
	"context"
	"switchboard/graph/errs"
	"switchboard/graph/model"
	"switchboard/graph/shops"
	"switchboard/sources/shop"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

func (r *Resolver) shop() (*shops.Service, error) {
	if r.Shops == nil {
		return nil, errs.NotConfiguredErr(shop.Source)
	}
	return r.Shops, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func tm(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// interfaceFieldsWithoutDetail are the Interface fields served without
// Shop's detail call: the key comes with the list, prestations from their
// own routes.
var interfaceFieldsWithoutDetail = map[string]bool{"key": true, "prestations": true, "__typename": true}

// needsInterfaceDetail reports whether the current field's selection (over
// Interface objects) asks for a field of the interface's detail.
func needsInterfaceDetail(ctx context.Context) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{"Interface"}) {
		if !interfaceFieldsWithoutDetail[f.Name] {
			return true
		}
	}
	return false
}

func shopInterface(i *shop.Interface) *model.Interface {
	return &model.Interface{
		Key: i.Key, Status: model.InterfaceStatus(i.Status.String()), CreatedAt: tm(i.CreatedAt),
		URL: str(i.URL), AdminURL: str(i.AdminURL), FormURL: str(i.FormURL), DeletionDate: tm(i.DeletionDate),
	}
}

func shopOrdered(o shops.Ordered) *model.OrderedPrestation {
	return &model.OrderedPrestation{
		Code: o.Code, Reference: str(o.Reference), OrderedAt: tm(o.CreatedAt), Cancelled: o.Cancelled,
		CancelledAt: tm(o.CancelledAt), FormURL: str(o.FormURL),
	}
}

func shopPrestation(p shop.Prestation) *model.Prestation {
	return &model.Prestation{
		Code: p.Code, Name: str(p.Name), ShortDescription: str(p.ShortDescription),
		LongDescription: str(p.LongDescription), Price: p.Price, Setup: shop.IsSetup(p.Code),
	}
}

// orderedViews maps each cached prestation list to its GraphQL objects once.
// The shared cache hands every request the same decoded slice (it must not
// be modified), so the objects made from it are the same too: mapping them
// per request was a tenth of W1's allocations. The key is the slice's first
// element, which also keeps the slice alive while its view is remembered.
var orderedViews = viewMemo[shops.Ordered, model.OrderedPrestation]{mapOne: shopOrdered}

// viewMemo remembers the mapped view of shared slices, bounded by
// forgetting everything at once when full.
type viewMemo[T, V any] struct {
	mapOne func(T) *V
	mu     sync.Mutex
	views  map[*T][]*V
}

const maxViews = 4096

func (m *viewMemo[T, V]) of(list []T) []*V {
	if len(list) == 0 {
		return mapAll(list, m.mapOne)
	}
	key := &list[0]
	m.mu.Lock()
	v, ok := m.views[key]
	m.mu.Unlock()
	if ok && len(v) == len(list) {
		return v
	}
	v = mapAll(list, m.mapOne)
	m.mu.Lock()
	if m.views == nil || len(m.views) >= maxViews {
		m.views = map[*T][]*V{}
	}
	m.views[key] = v
	m.mu.Unlock()
	return v
}

func shopLink(l shop.PrestationLink) *model.PrestationLink {
	return &model.PrestationLink{Code: l.Code, Reference: str(l.Reference), FormURL: str(l.FormURL)}
}
