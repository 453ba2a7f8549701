package resolvers

import (
	"time"

	"switchboard/graph/flatlists"
	"switchboard/graph/model"
	"switchboard/graph/scalars"
)

// FlatLists are the objects whose lists graph/flatlists writes directly
// when only these fields are selected: plain struct fields, no resolver,
// no directive (TestFlatListsAsGqlgen holds them to the schema).
var FlatLists = []flatlists.Lister{
	flatlists.New("OrderedPrestation", map[string]flatlists.Field[model.OrderedPrestation]{
		"code":        flatlists.String(func(o *model.OrderedPrestation) string { return o.Code }),
		"reference":   flatlists.NullString(func(o *model.OrderedPrestation) *string { return o.Reference }),
		"orderedAt":   flatlists.NullTime(func(o *model.OrderedPrestation) *time.Time { return o.OrderedAt }),
		"cancelled":   flatlists.Boolean(func(o *model.OrderedPrestation) bool { return o.Cancelled }),
		"cancelledAt": flatlists.NullTime(func(o *model.OrderedPrestation) *time.Time { return o.CancelledAt }),
		"formUrl":     flatlists.NullString(func(o *model.OrderedPrestation) *string { return o.FormURL }),
	}),
	flatlists.New("Customer", map[string]flatlists.Field[model.Customer]{
		"id":          flatlists.String(func(c *model.Customer) string { return c.ID }),
		"source":      flatlists.Enum(func(c *model.Customer) model.CustomerSource { return c.Source }),
		"dmsId":       flatlists.NullString(func(c *model.Customer) *string { return c.DmsID }),
		"companyName": flatlists.NullString(func(c *model.Customer) *string { return c.CompanyName }),
		"civility":    flatlists.NullString(func(c *model.Customer) *string { return c.Civility }),
		"firstName":   flatlists.NullString(func(c *model.Customer) *string { return c.FirstName }),
		"lastName":    flatlists.NullString(func(c *model.Customer) *string { return c.LastName }),
		"email":       flatlists.NullString(func(c *model.Customer) *string { return c.Email }),
		"phone":       flatlists.NullString(func(c *model.Customer) *string { return c.Phone }),
		"mobile":      flatlists.NullString(func(c *model.Customer) *string { return c.Mobile }),
		"address":     flatlists.NullString(func(c *model.Customer) *string { return c.Address }),
		"postalCode":  flatlists.NullString(func(c *model.Customer) *string { return c.PostalCode }),
		"city":        flatlists.NullString(func(c *model.Customer) *string { return c.City }),
	}),
	flatlists.New("Invoice", map[string]flatlists.Field[model.Invoice]{
		"id":                 flatlists.String(func(i *model.Invoice) string { return i.ID }),
		"dmsId":              flatlists.NullString(func(i *model.Invoice) *string { return i.DmsID }),
		"workshopNationalId": flatlists.NullString(func(i *model.Invoice) *string { return i.WorkshopNationalID }),
		"customerDmsId":      flatlists.NullString(func(i *model.Invoice) *string { return i.CustomerDmsID }),
		"vin":                flatlists.NullString(func(i *model.Invoice) *string { return i.Vin }),
		"date":               flatlists.NullMarshaler(func(i *model.Invoice) *scalars.Date { return i.Date }),
		"amount":             flatlists.NullFloat(func(i *model.Invoice) *float64 { return i.Amount }),
		"mileage":            flatlists.NullInt(func(i *model.Invoice) *int { return i.Mileage }),
		"raw":                flatlists.Boolean(func(i *model.Invoice) bool { return i.Raw }),
	}),
	flatlists.New("Forecast", map[string]flatlists.Field[model.Forecast]{
		"jobId":            flatlists.NullInt(func(f *model.Forecast) *int { return f.JobID }),
		"label":            flatlists.NullString(func(f *model.Forecast) *string { return f.Label }),
		"lastJobDate":      flatlists.NullMarshaler(func(f *model.Forecast) *scalars.Date { return f.LastJobDate }),
		"mileageBasedDate": flatlists.NullMarshaler(func(f *model.Forecast) *scalars.Date { return f.MileageBasedDate }),
		"periodBasedDate":  flatlists.NullMarshaler(func(f *model.Forecast) *scalars.Date { return f.PeriodBasedDate }),
		"checkBasedDate":   flatlists.NullMarshaler(func(f *model.Forecast) *scalars.Date { return f.CheckBasedDate }),
		"dueDate":          flatlists.NullMarshaler(func(f *model.Forecast) *scalars.Date { return f.DueDate }),
	}),
}
