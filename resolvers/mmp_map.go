package resolvers

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"switchboard/generated"
	"switchboard/graph/errs"
	"switchboard/graph/model"
	"switchboard/graph/scalars"
	"switchboard/graph/vehicles"
	"switchboard/sources/mmp"
	"switchboard/sources/phone"
)

// mmp returns the MMP service, or NOT_CONFIGURED.
func (r *Resolver) mmp() (*vehicles.Service, error) {
	if r.Vehicles == nil {
		return nil, errs.NotConfiguredErr("mmp")
	}
	return r.Vehicles, nil
}

// softList answers a non-null list field whose upstream failed with [] and
// the error at the field's path: a null there would blank the parent object
// (the whole vehicle), not just this list.
func softList[T any](ctx context.Context, list []T, err error) ([]T, error) {
	if err != nil {
		graphql.AddError(ctx, err)
		return []T{}, nil
	}
	return list, nil
}

func mapAll[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// str is nil for "": upstreams send null and "" alike for a missing value.
func str(s string) *string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return &s
}

// num is nil for 0: MMP sends null for unknown counters, decoded as 0.
func num(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func id(n int) *string {
	if n == 0 {
		return nil
	}
	s := strconv.Itoa(n)
	return &s
}

func date(d mmp.Date) *scalars.Date {
	if d.IsZero() {
		return nil
	}
	v := scalars.NewDate(d.Time)
	return &v
}

func instant(d mmp.Date) *time.Time {
	if d.IsZero() {
		return nil
	}
	t := d.Time
	return &t
}

func phoneOf(s string) *string { return str(phone.Display(s)) }

func pointOfSale(memberID int, code, name string) *generated.PointOfSale {
	if memberID == 0 && code == "" && name == "" {
		return nil
	}
	return &generated.PointOfSale{ID: id(memberID), Code: str(code), Name: str(name)}
}

func mmpCustomer(c mmp.Customer, plate string) *model.Customer {
	cid := strconv.Itoa(c.ClientID)
	if c.ClientID == 0 {
		cid = c.ClientDmsID
	}
	last := c.LastName
	if last == "" {
		last = c.CompanyName
	}
	return &model.Customer{
		ID: cid, Source: model.CustomerSourceMMP, Civility: str(c.Civility),
		FirstName: str(c.FirstName), LastName: str(last), Email: str(c.Email),
		Phone: phoneOf(c.Phone), Mobile: phoneOf(c.Mobile), Address: str(c.Address),
		PostalCode: str(c.PostalCode), City: str(c.City), Plates: []string{plate},
	}
}

func mmpRawCustomer(c mmp.RawCustomer, plate string) *model.Customer {
	last := c.LastName
	if last == "" {
		last = c.CompanyName
	}
	return &model.Customer{
		ID: c.ClientDmsID, Source: model.CustomerSourceMMP, Civility: str(c.Civility),
		FirstName: str(c.FirstName), LastName: str(last), Email: str(c.Email),
		Phone: phoneOf(c.Phone), Mobile: phoneOf(c.Mobile), Address: str(c.Address),
		PostalCode: str(c.PostalCode), City: str(c.City), Plates: []string{plate},
	}
}

func mmpLine(l mmp.InvoiceLine) *generated.InvoiceLine {
	q := l.PartQuantity
	return &generated.InvoiceLine{
		JobID: num(l.PrivateJobID), JobLabel: str(l.PrivateJobLabel), JobCode: str(l.JobCode),
		WorkshopJobLabel: str(l.JobLabel), PackageCode: str(l.PackageCode), PackageLabel: str(l.PackageLabel),
		PartReference: str(l.PartReference), PartBrand: str(l.PartBrand), PartLabel: str(l.PartLabel),
		Quantity: &q,
	}
}

func mmpInvoice(i mmp.Invoice) *generated.Invoice {
	amount := i.InvoiceAmount
	return &generated.Invoice{
		ID: i.InvoiceDmsID, Date: date(i.InvoiceDate), Amount: &amount, Mileage: num(i.Mileage),
		PointOfSale: pointOfSale(i.MemberID, i.MemberPoSCode, i.MemberTradeName),
		Lines:       mapAll(i.Lines, mmpLine),
	}
}

// mmpRawInvoices groups import-factures lines (each repeating its invoice
// header) into invoices, newest first.
func mmpRawInvoices(lines []mmp.RawInvoiceLine) []*generated.Invoice {
	byID := map[string]*generated.Invoice{}
	var order []*generated.Invoice
	for _, l := range lines {
		key := strconv.Itoa(l.InvoiceID)
		if l.InvoiceID == 0 {
			key = l.InvoiceDmsID
		}
		inv, ok := byID[key]
		if !ok {
			amount := l.InvoiceAmount
			inv = &generated.Invoice{ID: key, Date: date(l.InvoiceDate), Amount: &amount, Mileage: num(l.Mileage), Raw: true, Lines: []*generated.InvoiceLine{}}
			byID[key] = inv
			order = append(order, inv)
		}
		q := l.PartQuantity
		inv.Lines = append(inv.Lines, &generated.InvoiceLine{
			JobCode: str(l.JobCode), WorkshopJobLabel: str(l.JobLabel), PackageCode: str(l.PackageCode),
			PackageLabel: str(l.PackageLabel), PartReference: str(l.PartReference), PartBrand: str(l.PartBrand),
			PartLabel: str(l.PartLabel), Quantity: &q,
		})
	}
	sort.SliceStable(order, func(a, b int) bool {
		da, db := order[a].Date, order[b].Date
		return da != nil && (db == nil || da.After(db.Time))
	})
	return order
}

func mmpOperation(o mmp.Operation) *generated.Operation {
	return &generated.Operation{
		JobID: num(o.PrivateJobID), Label: str(o.PrivateJobLabel), Date: date(o.OperationDate),
		Mileage: num(o.Mileage), InvoiceID: str(o.InvoiceDmsID),
		PointOfSale: pointOfSale(o.MemberID, o.MemberPoSCode, o.MemberTradeName),
	}
}

func mmpForecast(f mmp.Forecast) *generated.Forecast {
	out := &generated.Forecast{
		JobID: num(f.PrivateJobID), Label: str(f.PrivateJobLabel), LastJobDate: date(f.LastJobDate),
		MileageBasedDate: date(f.MileageBasedEstimatedDate), PeriodBasedDate: date(f.PeriodicBasedEstimatedDate),
		CheckBasedDate: date(f.CheckBasedEstimatedDate),
	}
	for _, d := range []*scalars.Date{out.MileageBasedDate, out.PeriodBasedDate, out.CheckBasedDate} {
		if d != nil && (out.DueDate == nil || d.Before(out.DueDate.Time)) {
			out.DueDate = d
		}
	}
	if len(f.ForecastInformations) > 0 && string(f.ForecastInformations) != "null" {
		var details map[string]any
		if err := json.Unmarshal(f.ForecastInformations, &details); err == nil {
			out.Details = details
		}
	}
	return out
}

func mmpReminder(r mmp.Reminder) *generated.Reminder {
	channels := make([]string, 0, len(r.Diffusions))
	for _, d := range r.Diffusions {
		channels = append(channels, d.Label)
	}
	return &generated.Reminder{
		CampaignID: strconv.Itoa(r.CampaignID), Label: str(r.CampaignLabel), Type: str(r.CampaignType),
		PointOfSale: pointOfSale(r.MemberID, r.MemberPoSCode, r.MemberTradeName),
		SentAt:      instant(r.DiffusionDate), Channels: channels,
		Operations: mapAll(r.Operations, func(o mmp.ReminderOperation) *generated.ReminderOperation {
			return &generated.ReminderOperation{ID: strconv.Itoa(o.ID), Label: str(o.Label), Offer: str(o.MessageDescription)}
		}),
	}
}

func mmpCampaign(c mmp.Campaign) *generated.Campaign {
	return &generated.Campaign{
		ID: strconv.Itoa(c.ID), SentOn: date(c.DiffusionDate), PredictedFor: date(c.PredictionDate), CreatedOn: date(c.CreationDate),
		Customers: mapAll(c.Clients, func(cc mmp.CampaignClient) *generated.CampaignCustomer {
			var op *generated.ReminderOperation
			if cc.Operation.ID != 0 || cc.Operation.Label != "" {
				op = &generated.ReminderOperation{ID: strconv.Itoa(cc.Operation.ID), Label: str(cc.Operation.Label)}
			}
			return &generated.CampaignCustomer{
				Civility: str(cc.Civility), FirstName: str(cc.FirstName), LastName: str(cc.LastName),
				Vehicle:   &generated.CampaignVehicle{Plate: cc.Vehicle.Plate, Make: str(cc.Vehicle.Brand), Model: str(cc.Vehicle.Model)},
				Operation: op,
				Promotions: mapAll(cc.Promotions, func(p mmp.Promotion) *generated.Promotion {
					return &generated.Promotion{ID: strconv.Itoa(p.ID), Label: str(p.Label)}
				}),
				Channels: &generated.Channels{Sms: cc.Diffusion.SMS, Email: cc.Diffusion.Email, Mail: cc.Diffusion.Mail},
			}
		}),
	}
}

func mmpBlacklistEntry(e mmp.BlacklistEntry) *generated.BlacklistEntry {
	privacy := []string{}
	for _, p := range strings.Split(e.Privacy, "|") {
		if p = strings.TrimSpace(p); p != "" {
			privacy = append(privacy, p)
		}
	}
	return &generated.BlacklistEntry{
		CustomerID: strconv.Itoa(e.ClientID), FirstName: str(e.FirstName), LastName: str(e.LastName),
		CompanyName: str(e.CompanyName), SmsReminders: e.ReminderSMS, EmailReminders: e.ReminderEmail,
		DmsPhoneSync: e.SyncDmsPhone, DmsEmailSync: e.SyncDmsEmail, Privacy: privacy,
		Mobile: phoneOf(e.Mobile), Email: str(e.Email), PostalCode: str(e.PostalCode),
		PointOfSale: pointOfSale(0, e.MemberPoSCode, e.MemberShortName),
	}
}
