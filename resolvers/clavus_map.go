package resolvers

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"

	"switchboard/graph/errs"
	"switchboard/graph/folders"
	"switchboard/graph/model"
	"switchboard/sources/clavus"
)

func (r *Resolver) clavus() (*folders.Service, error) {
	if r.Folders == nil {
		return nil, errs.NotConfiguredErr(clavus.Source)
	}
	return r.Folders, nil
}

// keepPartial serves what Clavus resolved when it answered data and errors
// together, with the error beside it; any other error fails the field.
func keepPartial(ctx context.Context, err error) error {
	var pe *clavus.PartialError
	if errors.As(err, &pe) {
		graphql.AddError(ctx, pe.Err)
		return nil
	}
	return err
}

// folderQuery builds the client's query. The client reads 0 as "default",
// so an explicit 0 from the caller is refused here.
func folderQuery(page, perPage *int, search *string, columns []string, filter []*model.FolderFilter, sort []*model.FolderSort) (clavus.FolderQuery, error) {
	q := clavus.FolderQuery{Search: deref(search), Columns: columns}
	if err := paging(page, perPage, &q.Page, &q.PerPage); err != nil {
		return q, err
	}
	for _, f := range filter {
		q.Filters = append(q.Filters, clavus.Filter{Column: f.Column, Operator: f.Operator, Value: f.Value})
	}
	for _, s := range sort {
		q.Sort = append(q.Sort, clavus.Sort{Column: s.Column, Desc: s.Direction != nil && *s.Direction == model.SortDirectionDesc})
	}
	return q, nil
}

func paging(page, perPage *int, p, pp *int) error {
	if page != nil {
		if *page < 1 {
			return errs.BadInput("page", "page: must be at least 1")
		}
		*p = *page
	}
	if perPage != nil {
		if *perPage < 1 || *perPage > clavus.MaxPerPage {
			return errs.BadInput("perPage", "perPage: must be between 1 and %d", clavus.MaxPerPage)
		}
		*pp = *perPage
	}
	return nil
}

func clavusFolder(f clavus.Folder) *model.Folder {
	out := &model.Folder{ID: f.ID, Columns: make([]*model.FolderCell, len(f.Columns))}
	for i, c := range f.Columns {
		out.Columns[i] = &model.FolderCell{ID: c.ID, Name: c.Name, Value: str(c.Value)}
	}
	return out
}

func clavusValue(v clavus.Value) *model.FolderValue {
	return &model.FolderValue{ID: v.ID, Name: v.Name, Label: v.Label, Value: str(v.Value)}
}

func clavusTeam(t clavus.Team) *model.Team {
	return &model.Team{ID: t.ID, Name: t.Name, Description: str(t.Description), Color: str(t.Color)}
}

func clavusUser(u clavus.User) *model.User {
	return &model.User{ID: u.ID, FirstName: str(u.FirstName), LastName: str(u.LastName), Email: str(u.Email)}
}

func prospectInput(in model.ProspectInput) clavus.ProspectInput {
	out := clavus.ProspectInput{
		ID: deref(in.ID), FirstName: in.FirstName, LastName: in.LastName, Address: in.Address,
		PostalCode: in.PostalCode, Email: in.Email, Phone: in.Phone, SIREN: in.Siren,
		PowerKWc: in.PowerKWc, PriceHT: in.PriceHt, CommercialNote: in.CommercialNote,
	}
	if in.Type != nil {
		t := clavus.ProspectType(*in.Type)
		out.Type = &t
	}
	if in.Gps != nil {
		out.GPS = &clavus.GPS{Lat: in.Gps.Lat, Lng: in.Gps.Lng}
	}
	return out
}

func clavusProspect(p *clavus.Prospect) *model.Prospect {
	out := &model.Prospect{
		ID: p.ID, FirstName: str(p.FirstName), LastName: str(p.LastName), Address: str(p.Address),
		PostalCode: str(p.PostalCode), Email: str(p.Email), Phone: str(p.Phone), Siren: str(p.SIREN),
		PowerKWc: p.PowerKWc, PriceHt: str(p.PriceHT), CommercialNote: str(p.CommercialNote),
	}
	if p.Type != "" {
		t := model.ProspectType(p.Type)
		out.Type = &t
	}
	if p.GPS != nil {
		out.Gps = &model.Gps{Lat: p.GPS.Lat, Lng: p.GPS.Lng}
	}
	return out
}

// selects reports whether the current field's selection reaches path
// (e.g. "results", "values"), through fragments.
func selects(ctx context.Context, path ...string) bool {
	oc := graphql.GetOperationContext(ctx)
	fields := graphql.CollectFieldsCtx(ctx, nil)
	for i, name := range path {
		var next []graphql.CollectedField
		for _, f := range fields {
			if f.Name == name {
				if i == len(path)-1 {
					return true
				}
				next = append(next, graphql.CollectFields(oc, f.Selections, nil)...)
			}
		}
		fields = next
	}
	return false
}
