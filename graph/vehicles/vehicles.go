// Package vehicles serves MMP Vision 360 data to the resolvers. It plans
// the upstream calls of one query: when two or more of a vehicle's lists
// (or its header fields, which only vision360 carries) are selected, one
// vision360 call serves them all; a single list uses its own endpoint. If
// vision360 fails, each list falls back to its own endpoint, so one failing
// call does not blank the others. Per-request dataloaders make each
// (endpoint, plate) call at most once per query; the shared cache spans
// queries and replicas.
package vehicles

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"sync"
	"time"

	"switchboard/graph/cache"
	"switchboard/graph/errs"
	"switchboard/graph/loaders"
	"switchboard/sources/mmp"
)

// Cache lifetimes. Vehicle data changes when a workshop imports files (a
// few times a day); network lists are read by campaign tools.
const (
	vehicleTTL   = 10 * time.Minute
	campaignTTL  = 5 * time.Minute
	blacklistTTL = 10 * time.Minute
	// MaxUpload bounds a customer/invoice ZIP; larger files are refused
	// before the upstream is called.
	MaxUpload = 20 << 20
)

// Resource is one part of a vehicle's data, served by one MMP endpoint or
// by vision360.
type Resource int

// The parts of a vehicle.
const (
	Info Resource = iota + 1
	Customers
	ImportedCustomers
	Invoices
	ImportedInvoices
	Operations
	Forecasts
	Reminders
)

// fieldResource maps Vehicle schema fields to what they need.
var fieldResource = map[string]Resource{
	"vin": Info, "releaseDate": Info, "lastVisitDate": Info, "lastVisitMileage": Info,
	"monthlyMileageEstimate": Info, "currentMileageEstimate": Info,
	"lastTechnicalControlDate": Info, "nextTechnicalControlDate": Info,
	"lastAntipollutionControlDate": Info, "nextAntipollutionControlDate": Info, "diagnostic": Info,
	"customers": Customers, "importedCustomers": ImportedCustomers,
	"invoices": Invoices, "importedInvoices": ImportedInvoices,
	"operations": Operations, "forecasts": Forecasts, "reminders": Reminders,
}

// Plan tells whether the selected Vehicle fields are best served by one
// vision360 call, and which resource to probe the plate with otherwise.
func Plan(fields []string) (bundle bool, probe Resource) {
	seen := map[Resource]bool{}
	for _, f := range fields {
		if r, ok := fieldResource[f]; ok && !seen[r] {
			seen[r] = true
			probe = r
		}
	}
	if seen[Info] || len(seen) >= 2 {
		return true, Info
	}
	if probe == 0 {
		probe = Customers // cheapest existence check for `{ plate }`
	}
	return false, probe
}

// Service is MMP for the resolvers.
type Service struct {
	client *mmp.Client
	cache  *cache.Cache
	// seen, when set, hears of every customer fetched from MMP (the
	// caller lookup's directory).
	seen  func(context.Context, []mmp.Customer)
	fetch func() *fetchers
}

// OnCustomers registers fn to hear of every customer fetched from MMP (not
// of those served from the cache: they were heard when fetched).
func (s *Service) OnCustomers(fn func(context.Context, []mmp.Customer)) { s.seen = fn }

// heard reports the customers a fetch returned to the OnCustomers hook, in
// the background: the query does not wait for the directory's writes.
func heard[T any](s *Service, fetch func(context.Context, string) (T, error), customers func(T) []mmp.Customer) func(context.Context, string) (T, error) {
	return func(ctx context.Context, id string) (T, error) {
		v, err := fetch(ctx, id)
		if cs := customers(v); err == nil && s.seen != nil && len(cs) > 0 {
			go s.seen(context.WithoutCancel(ctx), cs)
		}
		return v, err
	}
}

// New wraps an MMP client and the shared cache.
func New(client *mmp.Client, c *cache.Cache) *Service {
	s := &Service{client: client, cache: c}
	s.fetch = sync.OnceValue(s.newFetchers)
	return s
}

type loader struct {
	v360              *loaders.Group[string, *mmp.Vision360]
	customers         *loaders.Group[string, []mmp.Customer]
	importedCustomers *loaders.Group[string, []mmp.RawCustomer]
	invoices          *loaders.Group[string, []mmp.Invoice]
	importedInvoices  *loaders.Group[string, []mmp.RawInvoiceLine]
	operations        *loaders.Group[string, []mmp.Operation]
	forecasts         *loaders.Group[string, []mmp.Forecast]
	reminders         *loaders.Group[string, []mmp.Reminder]
}

// cached reads one (endpoint, plate) through the shared cache.
func cached[T any](s *Service, op string, ttl time.Duration, fetch func(context.Context, string) (T, error)) func(context.Context, string) (T, error) {
	return func(ctx context.Context, id string) (T, error) {
		return cache.GetJSON(ctx, s.cache, cache.Key{Source: mmp.Source, Operation: op, ID: id}, ttl, func(ctx context.Context) (T, error) {
			return fetch(ctx, id)
		})
	}
}

// fetchers are the loaders' fetch functions, built once per Service: a
// request builds only its loaders' maps.
type fetchers struct {
	v360              func(context.Context, string) (*mmp.Vision360, error)
	customers         func(context.Context, string) ([]mmp.Customer, error)
	importedCustomers func(context.Context, string) ([]mmp.RawCustomer, error)
	invoices          func(context.Context, string) ([]mmp.Invoice, error)
	importedInvoices  func(context.Context, string) ([]mmp.RawInvoiceLine, error)
	operations        func(context.Context, string) ([]mmp.Operation, error)
	forecasts         func(context.Context, string) ([]mmp.Forecast, error)
	reminders         func(context.Context, string) ([]mmp.Reminder, error)
}

func (s *Service) newFetchers() *fetchers {
	return &fetchers{
		v360: cached(s, "vision360", vehicleTTL, heard(s, s.client.Vision360, func(v *mmp.Vision360) []mmp.Customer {
			if v == nil {
				return nil
			}
			return v.Customers
		})),
		customers:         cached(s, "client", vehicleTTL, heard(s, s.client.Clients, func(c []mmp.Customer) []mmp.Customer { return c })),
		importedCustomers: cached(s, "import-client", vehicleTTL, s.client.ImportClients),
		invoices:          cached(s, "factures", vehicleTTL, s.client.Invoices),
		importedInvoices:  cached(s, "import-factures", vehicleTTL, s.client.ImportInvoices),
		operations:        cached(s, "historiques", vehicleTTL, s.client.Operations),
		forecasts:         cached(s, "previsions", vehicleTTL, s.client.Forecasts),
		reminders:         cached(s, "relances", vehicleTTL, s.client.Reminders),
	}
}

func (s *Service) newLoader() *loader {
	f := s.fetch()
	return &loader{
		v360:              loaders.FanOut(f.v360),
		customers:         loaders.FanOut(f.customers),
		importedCustomers: loaders.FanOut(f.importedCustomers),
		invoices:          loaders.FanOut(f.invoices),
		importedInvoices:  loaders.FanOut(f.importedInvoices),
		operations:        loaders.FanOut(f.operations),
		forecasts:         loaders.FanOut(f.forecasts),
		reminders:         loaders.FanOut(f.reminders),
	}
}

// WithLoader gives one GraphQL request its own loaders, built when the
// request first reaches MMP.
func (s *Service) WithLoader(ctx context.Context) context.Context { return loaders.WithScope(ctx) }

func (s *Service) loader(ctx context.Context) *loader { return loaders.For(ctx, s, s.newLoader) }

// Probe checks that MMP knows plate with the call the query needs anyway:
// vision360 for a bundle, else the single list asked for. Only NOT_FOUND is
// returned; other failures surface on the fields that need the data. The
// vision360 read for a bundle is returned, for the vehicle's fields to
// share (nil when it failed or the query is not bundled).
func (s *Service) Probe(ctx context.Context, plate string, bundle bool, probe Resource) (*mmp.Vision360, error) {
	l := s.loader(ctx)
	var err error
	switch {
	case bundle:
		var v *mmp.Vision360
		if v, err = l.v360.Load(ctx, plate)(); err == nil {
			return v, nil
		}
	case probe == ImportedCustomers:
		_, err = l.importedCustomers.Load(ctx, plate)()
	case probe == Invoices:
		_, err = l.invoices.Load(ctx, plate)()
	case probe == ImportedInvoices:
		_, err = l.importedInvoices.Load(ctx, plate)()
	case probe == Operations:
		_, err = l.operations.Load(ctx, plate)()
	case probe == Forecasts:
		_, err = l.forecasts.Load(ctx, plate)()
	case probe == Reminders:
		_, err = l.reminders.Load(ctx, plate)()
	default:
		_, err = l.customers.Load(ctx, plate)()
	}
	if isNotFound(err) {
		return nil, err
	}
	return nil, nil
}

func isNotFound(err error) bool {
	code, _ := errs.Code(err)
	return err != nil && code == errs.NotFound
}

// pick serves one list from vision360 when bundled, falling back to the
// list's own endpoint when vision360 failed for another reason than an
// unknown plate.
func pick[T any](ctx context.Context, l *loader, plate string, bundle bool, part func(*mmp.Vision360) T, single *loaders.Group[string, T]) (T, error) {
	if bundle {
		v, err := l.v360.Load(ctx, plate)()
		if err == nil {
			return part(v), nil
		}
		if isNotFound(err) {
			var zero T
			return zero, err
		}
	}
	return single.Load(ctx, plate)()
}

// Info is the vehicle header; only vision360 carries it.
func (s *Service) Info(ctx context.Context, plate string) (*mmp.VehicleInfo, error) {
	v, err := s.loader(ctx).v360.Load(ctx, plate)()
	if err != nil {
		return nil, err
	}
	return &v.VehicleInformations, nil
}

// Diagnostic is vision360's vehiculeDiagnostic, as MMP sent it.
func (s *Service) Diagnostic(ctx context.Context, plate string) (json.RawMessage, error) {
	v, err := s.loader(ctx).v360.Load(ctx, plate)()
	if err != nil {
		return nil, err
	}
	return v.Diagnostic, nil
}

// Customers attached to the vehicle (client).
func (s *Service) Customers(ctx context.Context, plate string, bundle bool) ([]mmp.Customer, error) {
	l := s.loader(ctx)
	return pick(ctx, l, plate, bundle, func(v *mmp.Vision360) []mmp.Customer { return v.Customers }, l.customers)
}

// ImportedCustomers as imported by members (import-client).
func (s *Service) ImportedCustomers(ctx context.Context, plate string, bundle bool) ([]mmp.RawCustomer, error) {
	l := s.loader(ctx)
	return pick(ctx, l, plate, bundle, func(v *mmp.Vision360) []mmp.RawCustomer { return v.RawCustomers }, l.importedCustomers)
}

// Invoices, qualified (factures).
func (s *Service) Invoices(ctx context.Context, plate string, bundle bool) ([]mmp.Invoice, error) {
	l := s.loader(ctx)
	return pick(ctx, l, plate, bundle, func(v *mmp.Vision360) []mmp.Invoice { return v.Invoices }, l.invoices)
}

// ImportedInvoiceLines, raw (import-factures).
func (s *Service) ImportedInvoiceLines(ctx context.Context, plate string, bundle bool) ([]mmp.RawInvoiceLine, error) {
	l := s.loader(ctx)
	return pick(ctx, l, plate, bundle, func(v *mmp.Vision360) []mmp.RawInvoiceLine { return v.RawInvoiceLines }, l.importedInvoices)
}

// Operations done on the vehicle (historiques).
func (s *Service) Operations(ctx context.Context, plate string, bundle bool) ([]mmp.Operation, error) {
	l := s.loader(ctx)
	return pick(ctx, l, plate, bundle, func(v *mmp.Vision360) []mmp.Operation { return v.Operations }, l.operations)
}

// Forecasts computed for the vehicle (previsions).
func (s *Service) Forecasts(ctx context.Context, plate string, bundle bool) ([]mmp.Forecast, error) {
	l := s.loader(ctx)
	return pick(ctx, l, plate, bundle, func(v *mmp.Vision360) []mmp.Forecast { return v.Forecasts }, l.forecasts)
}

// Reminders sent about the vehicle (relances).
func (s *Service) Reminders(ctx context.Context, plate string, bundle bool) ([]mmp.Reminder, error) {
	l := s.loader(ctx)
	return pick(ctx, l, plate, bundle, func(v *mmp.Vision360) []mmp.Reminder { return v.Reminders }, l.reminders)
}

// CampaignCustomers is one page of a point of sale's campaign customers.
func (s *Service) CampaignCustomers(ctx context.Context, pointOfSale string, page int) (*mmp.CampaignPage, error) {
	id := pointOfSale + "/" + strconv.Itoa(page)
	return cache.GetJSON(ctx, s.cache, cache.Key{Source: mmp.Source, Operation: "campagnes-clients", ID: id}, campaignTTL,
		func(ctx context.Context) (*mmp.CampaignPage, error) {
			return s.client.CampaignCustomers(ctx, pointOfSale, page)
		})
}

// Blacklist is the network's e-mail/SMS blacklist, read as CSV (the
// smaller transfer) or JSON.
func (s *Service) Blacklist(ctx context.Context, csv bool) ([]mmp.BlacklistEntry, error) {
	op, fetch := "blacklist", s.client.Blacklist
	if csv {
		op, fetch = "blacklist-csv", s.client.BlacklistCSV
	}
	return cache.GetJSON(ctx, s.cache, cache.Key{Source: mmp.Source, Operation: op, ID: "network"}, blacklistTTL, fetch)
}

// Upload sends a member's customers/invoices ZIP, size bytes read from file
// (streamed to MMP, never held in memory). The file is checked first: an
// oversize file or one that is not a readable ZIP never reaches MMP.
func (s *Service) Upload(ctx context.Context, organizationID, filename string, file io.ReaderAt, size int64) (*mmp.UploadResult, error) {
	if organizationID == "" {
		return nil, errs.BadInput("organizationId", "organizationId is required")
	}
	if size > MaxUpload {
		return nil, errs.BadInput("file", "file is %d bytes; the limit is %d", size, MaxUpload)
	}
	// Reads the central directory at the end of the file only.
	if _, err := zip.NewReader(file, size); err != nil {
		return nil, errs.BadInput("file", "file is not a ZIP archive")
	}
	return s.client.UploadCustomerInvoices(ctx, organizationID, filename, file, size)
}
