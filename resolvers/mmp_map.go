package resolvers

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

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
		return nil, errs.NotConfiguredErr(mmp.Source)
	}
	return r.Vehicles, nil
}

// orNull answers a list field whose source failed with null beside the
// error: an empty list would read as "there are none". The field is
// nullable, so the null stays on it and does not blank its parent.
func orNull[T any](list []T, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	return list, nil
}

// partialList answers the items that were read beside the error about the
// others, and null with the error when none was.
func partialList[T any](ctx context.Context, list []T, err error) ([]T, error) {
	if err == nil {
		return list, nil
	}
	if len(list) == 0 {
		return nil, err
	}
	graphql.AddError(ctx, err)
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

// num is nil for 0: for ids and job numbers, where MMP's null decodes as
// 0 and 0 is no real id. Counters are pointers from the source: zero stays
// zero.
func num(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// dmsID is an id in a member's DMS, nil when MMP sent none.
func dmsID(s string) *string { return str(s) }

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

func pointOfSale(memberID int, code, name string) *model.PointOfSale {
	if memberID == 0 && code == "" && name == "" {
		return nil
	}
	return &model.PointOfSale{ID: id(memberID), Code: str(code), Name: str(name)}
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
		DmsID: dmsID(c.ClientDmsID), CompanyName: str(c.CompanyName), MMP: &c,
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
		DmsID: dmsID(c.ClientDmsID), CompanyName: str(c.CompanyName), MMPImport: &c,
	}
}

// splitPrivacy splits viePrivee ("telephone mobile | email").
func splitPrivacy(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func mmpConsents(c *mmp.Customer) *model.Consents {
	if c == nil {
		return nil
	}
	return &model.Consents{Sms: c.ReminderSMS, Email: c.ReminderEmail, Mail: c.ReminderMail, Refused: splitPrivacy(c.Privacy)}
}

func mmpImportedVehicle(c *mmp.RawCustomer) *model.ImportedVehicle {
	if c == nil {
		return nil
	}
	return &model.ImportedVehicle{
		Plate: str(c.Plate), Brand: str(c.VehicleBrand), Model: str(c.VehicleModel), Vin: str(c.VIN),
		ReleaseDate: date(c.VehicleReleaseDate), LastVisitDate: date(c.VehicleLastVisitDate),
		LastVisitMileage:             c.VehicleLastVisitMileage,
		LastTechnicalControlDate:     date(c.VehicleLastTechnicalControlDate),
		NextTechnicalControlDate:     date(c.VehicleNextTechnicalControlDate),
		LastAntipollutionControlDate: date(c.VehicleLastAntipollutionControlDate),
		NextAntipollutionControlDate: date(c.VehicleNextAntipollutionControlDate),
		WorkshopNationalID:           str(c.WorkshopNationalID),
	}
}

func mmpLine(l mmp.InvoiceLine) *model.InvoiceLine {
	return &model.InvoiceLine{
		JobID: num(l.PrivateJobID), JobLabel: str(l.PrivateJobLabel), JobCode: str(l.JobCode),
		WorkshopJobLabel: str(l.JobLabel), PackageCode: str(l.PackageCode), PackageLabel: str(l.PackageLabel),
		PartReference: str(l.PartReference), PartBrand: str(l.PartBrand), PartLabel: str(l.PartLabel),
		Quantity: l.PartQuantity, UsedSource: str(l.PrivateUsedSource),
	}
}

func mmpInvoice(i mmp.Invoice) *model.Invoice {
	return &model.Invoice{
		ID: i.InvoiceDmsID, DmsID: dmsID(i.InvoiceDmsID), Date: date(i.InvoiceDate), Amount: i.InvoiceAmount, Mileage: i.Mileage,
		PointOfSale: pointOfSale(i.MemberID, i.MemberPoSCode, i.MemberTradeName),
		Lines:       mapAll(i.Lines, mmpLine),
	}
}

// mmpRawInvoices groups import-factures lines (each repeating its invoice
// header) into invoices, newest first.
func mmpRawInvoices(lines []mmp.RawInvoiceLine) []*model.Invoice {
	byID := map[string]*model.Invoice{}
	var order []*model.Invoice
	for _, l := range lines {
		key := strconv.Itoa(l.InvoiceID)
		if l.InvoiceID == 0 {
			key = l.InvoiceDmsID
		}
		inv, ok := byID[key]
		if !ok {
			inv = &model.Invoice{
				ID: key, DmsID: dmsID(l.InvoiceDmsID), WorkshopNationalID: str(l.WorkshopNationalID),
				CustomerDmsID: dmsID(l.ClientDmsID), Vin: str(l.VIN), Date: date(l.InvoiceDate),
				Amount: l.InvoiceAmount, Mileage: l.Mileage, Raw: true, Lines: []*model.InvoiceLine{},
			}
			byID[key] = inv
			order = append(order, inv)
		}
		inv.Lines = append(inv.Lines, &model.InvoiceLine{
			JobCode: str(l.JobCode), WorkshopJobLabel: str(l.JobLabel), PackageCode: str(l.PackageCode),
			PackageLabel: str(l.PackageLabel), PartReference: str(l.PartReference), PartBrand: str(l.PartBrand),
			PartLabel: str(l.PartLabel), Quantity: l.PartQuantity,
		})
	}
	sort.SliceStable(order, func(a, b int) bool {
		da, db := order[a].Date, order[b].Date
		return da != nil && (db == nil || da.After(db.Time))
	})
	return order
}

// The vehicle's lists are mapped to GraphQL objects once per cached slice
// (see viewMemo), not per request: W2's invoice lines alone were a quarter
// of its allocations. Customers depend on the plate as well. A slice the
// source cache no longer remembers decoded is never served again, so these
// memos need not outgrow that cache's decode memo.
const vehicleViews = 256

var (
	customerViews         = viewMemo[mmp.Customer, model.Customer]{mapList: each(mmpCustomer), limit: vehicleViews}
	importedCustomerViews = viewMemo[mmp.RawCustomer, model.Customer]{mapList: each(mmpRawCustomer), limit: vehicleViews}
	invoiceViews          = viewMemo[mmp.Invoice, model.Invoice]{mapList: each(untagged(mmpInvoice)), limit: vehicleViews}
	importedInvoiceViews  = viewMemo[mmp.RawInvoiceLine, model.Invoice]{mapList: func(l []mmp.RawInvoiceLine, _ string) []*model.Invoice { return mmpRawInvoices(l) }, limit: vehicleViews}
	operationViews        = viewMemo[mmp.Operation, model.Operation]{mapList: each(untagged(mmpOperation)), limit: vehicleViews}
	forecastViews         = viewMemo[mmp.Forecast, model.Forecast]{mapList: each(untagged(mmpForecast)), limit: vehicleViews}
	reminderViews         = viewMemo[mmp.Reminder, model.Reminder]{mapList: each(untagged(mmpReminder)), limit: vehicleViews}
)

func untagged[T, V any](f func(T) *V) func(T, string) *V {
	return func(v T, _ string) *V { return f(v) }
}

func mmpOperation(o mmp.Operation) *model.Operation {
	return &model.Operation{
		JobID: num(o.PrivateJobID), Label: str(o.PrivateJobLabel), Date: date(o.OperationDate),
		Mileage: o.Mileage, InvoiceID: str(o.InvoiceDmsID), UsedSource: str(o.PrivateUsedSource),
		PointOfSale: pointOfSale(o.MemberID, o.MemberPoSCode, o.MemberTradeName),
	}
}

func mmpForecast(f mmp.Forecast) *model.Forecast {
	out := &model.Forecast{
		JobID: num(f.PrivateJobID), Label: str(f.PrivateJobLabel), LastJobDate: date(f.LastJobDate),
		MileageBasedDate: date(f.MileageBasedEstimatedDate), PeriodBasedDate: date(f.PeriodicBasedEstimatedDate),
		CheckBasedDate: date(f.CheckBasedEstimatedDate),
	}
	for _, d := range []*scalars.Date{out.MileageBasedDate, out.PeriodBasedDate, out.CheckBasedDate} {
		if d != nil && (out.DueDate == nil || d.Before(out.DueDate.Time)) {
			out.DueDate = d
		}
	}
	out.Details = jsonObject(f.ForecastInformations)
	return out
}

func mmpReminder(r mmp.Reminder) *model.Reminder {
	channels := make([]string, 0, len(r.Diffusions))
	for _, d := range r.Diffusions {
		channels = append(channels, d.Label)
	}
	return &model.Reminder{
		CampaignID: strconv.Itoa(r.CampaignID), Label: str(r.CampaignLabel), Type: str(r.CampaignType),
		PointOfSale: pointOfSale(r.MemberID, r.MemberPoSCode, r.MemberTradeName),
		SentAt:      instant(r.DiffusionDate), Channels: channels, CustomerDmsID: dmsID(r.ClientDmsID),
		Operations: mapAll(r.Operations, func(o mmp.ReminderOperation) *model.ReminderOperation {
			return &model.ReminderOperation{ID: strconv.Itoa(o.ID), Label: str(o.Label), Offer: str(o.MessageDescription)}
		}),
	}
}

func mmpCampaignPage(pos string, res *mmp.CampaignPage) *model.CampaignCustomerPage {
	return &model.CampaignCustomerPage{
		PointOfSale: pos, Page: res.Page, OrganizationID: id(res.Header.ID),
		ArticleCode: str(res.Header.ArticleCode), ArticleLabel: str(res.Header.ArticleLabel),
		LastPage: res.LastPage, Total: res.Total, Campaigns: mapAll(res.Campaigns, mmpCampaign),
	}
}

func mmpCampaign(c mmp.Campaign) *model.Campaign {
	return &model.Campaign{
		ID: strconv.Itoa(c.ID), SentOn: date(c.DiffusionDate), PredictedFor: date(c.PredictionDate), CreatedOn: date(c.CreationDate),
		Customers: mapAll(c.Clients, func(cc mmp.CampaignClient) *model.CampaignCustomer {
			var op *model.ReminderOperation
			if cc.Operation.ID != 0 || cc.Operation.Label != "" {
				op = &model.ReminderOperation{ID: strconv.Itoa(cc.Operation.ID), Label: str(cc.Operation.Label)}
			}
			return &model.CampaignCustomer{
				Civility: str(cc.Civility), FirstName: str(cc.FirstName), LastName: str(cc.LastName),
				Vehicle:   &model.CampaignVehicle{Plate: cc.Vehicle.Plate, Make: str(cc.Vehicle.Brand), Model: str(cc.Vehicle.Model)},
				Operation: op,
				Promotions: mapAll(cc.Promotions, func(p mmp.Promotion) *model.Promotion {
					return &model.Promotion{ID: strconv.Itoa(p.ID), Label: str(p.Label)}
				}),
				Channels: &model.Channels{Sms: cc.Diffusion.SMS, Email: cc.Diffusion.Email, Mail: cc.Diffusion.Mail},
			}
		}),
	}
}

func mmpBlacklistEntry(e mmp.BlacklistEntry) *model.BlacklistEntry {
	privacy := splitPrivacy(e.Privacy)
	return &model.BlacklistEntry{
		CustomerID: strconv.Itoa(e.ClientID), FirstName: str(e.FirstName), LastName: str(e.LastName),
		CompanyName: str(e.CompanyName), SmsReminders: e.ReminderSMS, EmailReminders: e.ReminderEmail,
		DmsPhoneSync: e.SyncDmsPhone, DmsEmailSync: e.SyncDmsEmail, Privacy: privacy,
		Mobile: phoneOf(e.Mobile), Email: str(e.Email), PostalCode: str(e.PostalCode),
		PointOfSale: pointOfSale(0, e.MemberPoSCode, e.MemberShortName),
	}
}

func ptrTo[T any](v T) *T { return &v }

// jsonObject is raw JSON passed on as a JSON scalar: nil for null, or for
// anything that is not an object (PHP's [] for an empty one has no fields).
func jsonObject(raw json.RawMessage) map[string]any {
	var out map[string]any
	if json.Unmarshal(raw, &out) != nil {
		return nil
	}
	return out
}

// info is the vehicle header, from the vision360 its parent read if it did.
func (r *Resolver) info(ctx context.Context, v *model.Vehicle) (*mmp.VehicleInfo, error) {
	if v.Vision360 != nil {
		return &v.Vision360.VehicleInformations, nil
	}
	return r.Vehicles.Info(ctx, v.Plate)
}

// diagnostic is vision360's vehiculeDiagnostic, as for info.
func (r *Resolver) diagnostic(ctx context.Context, v *model.Vehicle) (json.RawMessage, error) {
	if v.Vision360 != nil {
		return v.Vision360.Diagnostic, nil
	}
	return r.Vehicles.Diagnostic(ctx, v.Plate)
}

// bundled is one of the vehicle's lists: its part of the vision360 its
// parent read, else what load (the vehicles.Service method) answers.
func bundled[T any](ctx context.Context, v *model.Vehicle, part func(*mmp.Vision360) T, load func(context.Context, string, bool) (T, error)) (T, error) {
	if v.Vision360 != nil {
		return part(v.Vision360), nil
	}
	return load(ctx, v.Plate, v.Bundle)
}

// vehicleCustomers are the customers attached to the vehicle (see bundled).
func (r *Resolver) vehicleCustomers(ctx context.Context, v *model.Vehicle) ([]mmp.Customer, error) {
	return bundled(ctx, v, func(v *mmp.Vision360) []mmp.Customer { return v.Customers }, r.Vehicles.Customers)
}
