package resolvers

import (
	"context"
	"strings"
	"time"

	"switchboard/generated"
	"switchboard/graph/errs"
	"switchboard/graph/shops"
	"switchboard/sources/shop"
)

func (r *interfaceResolver) Prestations(ctx context.Context, obj *generated.Interface) ([]*generated.OrderedPrestation, error) {
	list, err := r.Shops.OrderedPrestations(ctx, obj.Key)
	return softList(ctx, mapAll(list, shopOrdered), err)
}

func (r *mutationResolver) CreateInterface(ctx context.Context, input generated.CreateInterfaceInput) (*generated.CreateInterfaceResult, error) {
	svc, err := r.shop()
	if err != nil {
		return nil, err
	}
	c := input.Client
	key, err := svc.CreateInterface(ctx, shop.CreateInterfaceRequest{
		GUID: input.GUID, Prestations: input.Prestations, Subdomain: deref(input.Subdomain),
		Client: shop.Customer{
			LastName: deref(c.LastName), FirstName: deref(c.FirstName), Company: deref(c.Company),
			Address: deref(c.Address), PostalCode: deref(c.PostalCode), City: deref(c.City),
			Country: deref(c.Country), Phone: deref(c.Phone), Email: c.Email, RCS: deref(c.Rcs), APE: deref(c.Ape),
		},
	})
	if err != nil {
		return nil, err
	}
	res := &generated.CreateInterfaceResult{Key: key}
	// The order is placed: a failure to read it back is reported on the
	// interface field only.
	if iface, err := svc.Interface(ctx, key); err == nil {
		res.Interface = shopInterface(iface)
	}
	return res, nil
}

func (r *mutationResolver) DeleteInterface(ctx context.Context, key string) (*generated.Interface, error) {
	svc, err := r.shop()
	if err != nil {
		return nil, err
	}
	if err := svc.DeleteInterface(ctx, key); err != nil {
		return nil, err
	}
	iface, err := svc.Interface(ctx, key)
	if err != nil {
		return nil, err
	}
	return shopInterface(iface), nil
}

func (r *mutationResolver) ReactivateInterface(ctx context.Context, key string) (*generated.Interface, error) {
	svc, err := r.shop()
	if err != nil {
		return nil, err
	}
	if err := svc.ReactivateInterface(ctx, key); err != nil {
		return nil, err
	}
	iface, err := svc.Interface(ctx, key)
	if err != nil {
		return nil, err
	}
	return shopInterface(iface), nil
}

func (r *mutationResolver) AddPrestations(ctx context.Context, key string, codes []string) ([]*generated.PrestationLink, error) {
	svc, err := r.shop()
	if err != nil {
		return nil, err
	}
	links, err := svc.AddPrestations(ctx, key, codes)
	if err != nil {
		return nil, err
	}
	return mapAll(links, shopLink), nil
}

func (r *mutationResolver) CancelPrestation(ctx context.Context, key string, codeOrReference string) ([]*generated.PrestationLink, error) {
	svc, err := r.shop()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(codeOrReference) == "" {
		return nil, errs.BadInput("codeOrReference", "a prestation code or reference is required")
	}
	links, err := svc.CancelPrestation(ctx, key, codeOrReference)
	if err != nil {
		return nil, err
	}
	return mapAll(links, shopLink), nil
}

func (r *orderedPrestationResolver) Prestation(ctx context.Context, obj *generated.OrderedPrestation) (*generated.Prestation, error) {
	p, err := r.Shops.Prestation(ctx, obj.Code)
	if err != nil {
		return nil, err
	}
	return shopPrestation(*p), nil
}

func (r *prestationResolver) Associated(ctx context.Context, obj *generated.Prestation) ([]*generated.Prestation, error) {
	p, err := r.Shops.Prestation(ctx, obj.Code)
	if err != nil {
		return softList(ctx, []*generated.Prestation{}, err)
	}
	out := make([]*generated.Prestation, 0, len(p.Associated))
	for _, code := range p.Associated {
		a, err := r.Shops.Prestation(ctx, code)
		if err != nil {
			return softList(ctx, out, err)
		}
		out = append(out, shopPrestation(*a))
	}
	return out, nil
}

func (r *queryResolver) Interfaces(ctx context.Context, status *generated.InterfaceStatus) ([]*generated.Interface, error) {
	svc, err := r.shop()
	if err != nil {
		return nil, err
	}
	keys, err := svc.InterfaceKeys(ctx)
	if err != nil {
		return nil, err
	}
	ifaces, errList := svc.Interfaces(ctx, keys)
	out := make([]*generated.Interface, 0, len(ifaces))
	for i, iface := range ifaces {
		if errList != nil && errList[i] != nil {
			continue // reported below, once per failing interface
		}
		gi := shopInterface(iface)
		if status == nil || gi.Status == *status {
			out = append(out, gi)
		}
	}
	for _, e := range errList {
		if e != nil {
			return softList(ctx, out, e)
		}
	}
	return out, nil
}

func (r *queryResolver) Interface(ctx context.Context, key string) (*generated.Interface, error) {
	svc, err := r.shop()
	if err != nil {
		return nil, err
	}
	iface, err := svc.Interface(ctx, key)
	if err != nil {
		return nil, err
	}
	return shopInterface(iface), nil
}

func (r *queryResolver) Prestations(ctx context.Context) ([]*generated.Prestation, error) {
	svc, err := r.shop()
	if err != nil {
		return nil, err
	}
	cat, err := svc.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	return mapAll(cat, shopPrestation), nil
}

func (r *queryResolver) Prestation(ctx context.Context, code string) (*generated.Prestation, error) {
	svc, err := r.shop()
	if err != nil {
		return nil, err
	}
	p, err := svc.Prestation(ctx, code)
	if err != nil {
		return nil, err
	}
	return shopPrestation(*p), nil
}

func (r *Resolver) Interface() generated.InterfaceResolver { return &interfaceResolver{r} }

func (r *Resolver) OrderedPrestation() generated.OrderedPrestationResolver {
	return &orderedPrestationResolver{r}
}

func (r *Resolver) Prestation() generated.PrestationResolver { return &prestationResolver{r} }

type (
	interfaceResolver         struct{ *Resolver }
	orderedPrestationResolver struct{ *Resolver }
	prestationResolver        struct{ *Resolver }
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
