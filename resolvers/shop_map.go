package resolvers

import (
	"switchboard/generated"
	"switchboard/graph/errs"
	"switchboard/graph/shops"
	"switchboard/sources/shop"
	"time"
)

func (r *Resolver) shop() (*shops.Service, error) {
	if r.Shops == nil {
		return nil, errs.NotConfiguredErr("shop")
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

func shopInterface(i *shop.Interface) *generated.Interface {
	return &generated.Interface{
		Key: i.Key, Status: generated.InterfaceStatus(i.Status.String()), CreatedAt: tm(i.CreatedAt),
		URL: str(i.URL), AdminURL: str(i.AdminURL), FormURL: str(i.FormURL), DeletionDate: tm(i.DeletionDate),
	}
}

func shopOrdered(o shops.Ordered) *generated.OrderedPrestation {
	return &generated.OrderedPrestation{
		Code: o.Code, Reference: str(o.Reference), OrderedAt: tm(o.CreatedAt), Cancelled: o.Cancelled,
		CancelledAt: tm(o.CancelledAt), FormURL: str(o.FormURL),
	}
}

func shopPrestation(p shop.Prestation) *generated.Prestation {
	price := p.Price
	return &generated.Prestation{
		Code: p.Code, Name: str(p.Name), ShortDescription: str(p.ShortDescription),
		LongDescription: str(p.LongDescription), Price: &price, Setup: shop.IsSetup(p.Code),
	}
}

func shopLink(l shop.PrestationLink) *generated.PrestationLink {
	return &generated.PrestationLink{Code: l.Code, Reference: str(l.Reference), FormURL: str(l.FormURL)}
}
