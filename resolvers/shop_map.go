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

// interfaceSelection reports whether the current field's selection (over
// Interface objects) asks for a field of the interface's detail, and
// whether it asks for their prestations.
func interfaceSelection(ctx context.Context) (detail, prestations bool) {
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{"Interface"}) {
		detail = detail || !interfaceFieldsWithoutDetail[f.Name]
		prestations = prestations || f.Name == "prestations"
	}
	return detail, prestations
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
var orderedViews = viewMemo[shops.Ordered, model.OrderedPrestation]{mapList: each(untagged(shopOrdered))}

// viewMemo remembers the mapped view of shared slices, bounded by
// forgetting everything at once when full. A view is shared by concurrent
// requests: nothing may modify it once made. tag is what the mapping
// depends on besides the slice (a customer's plate), part of the key so a
// slice never serves a view made for another tag.
type viewMemo[T, V any] struct {
	mapList func([]T, string) []*V
	limit   int // views remembered; 0 is maxViews
	mu      sync.Mutex
	views   map[viewKey[T]][]*V
}

type viewKey[T any] struct {
	first *T
	n     int
	tag   string
}

const maxViews = 4096

func (m *viewMemo[T, V]) of(list []T, tag string) []*V {
	if len(list) == 0 {
		return m.mapList(list, tag)
	}
	key := viewKey[T]{&list[0], len(list), tag}
	m.mu.Lock()
	v, ok := m.views[key]
	m.mu.Unlock()
	if ok {
		return v
	}
	v = m.mapList(list, tag)
	m.mu.Lock()
	limit := m.limit
	if limit == 0 {
		limit = maxViews
	}
	if m.views == nil || len(m.views) >= limit {
		m.views = map[viewKey[T]][]*V{}
	}
	m.views[key] = v
	m.mu.Unlock()
	return v
}

// each maps a list element by element.
func each[T, V any](mapOne func(T, string) *V) func([]T, string) []*V {
	return func(list []T, tag string) []*V {
		out := make([]*V, len(list))
		for i, e := range list {
			out[i] = mapOne(e, tag)
		}
		return out
	}
}

func shopLink(l shop.PrestationLink) *model.PrestationLink {
	return &model.PrestationLink{Code: l.Code, Reference: str(l.Reference), FormURL: str(l.FormURL)}
}
