package folders

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"switchboard/graph/cache"
	"switchboard/sources/clavus"
	"switchboard/sources/phone"
)

// callerCandidates bounds the folders read per stored form of a phone.
const callerCandidates = 20

var lookupFailures = promauto.NewCounter(prometheus.CounterOpts{
	Name: "switchboard_clavus_caller_lookup_failures_total",
	Help: "Caller lookups in Clavus that failed (column discovery or folder search), so the caller could not be named.",
})

// Caller is the folder a phone belongs to: the client's name and the id of
// the commercial in charge.
type Caller struct {
	FolderID, Name, Commercial string
}

// storedForms are the national significant number of p (E.164 digits) as
// each common written form of it contains it: "612345678" (in 0612345678
// and 33612345678), "6 12 34 56 78" (in 06 12 34 56 78 and
// +33 6 12 34 56 78) and "6.12.34.56.78".
func storedForms(p string) []string {
	num, err := phonenumbers.Parse("+"+p, "")
	if err != nil {
		return nil
	}
	nsn := phonenumbers.GetNationalSignificantNumber(num)
	if nsn == "" {
		return nil
	}
	forms := []string{nsn}
	// The international format groups the NSN as people write it.
	intl := phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	if i := strings.IndexByte(intl, ' '); i > 0 {
		spaced := strings.TrimSpace(intl[i+1:])
		if spaced != nsn && strings.ReplaceAll(spaced, " ", "") == nsn {
			forms = append(forms, spaced, strings.ReplaceAll(spaced, " ", "."))
		}
	}
	return forms
}

// ByPhone finds the most recent folder whose phone is p (E.164 digits).
// The phone, name, commercial and creation-date columns are discovered
// (Catalog; Columns overrides them). Clavus stores phones as typed, so the
// search runs once per stored form of the national number (CONTAINS), all
// in one request (folderPages), and a folder matches when its phone
// normalizes to p. A failed lookup is an
// error (counted in switchboard_clavus_caller_lookup_failures_total), never
// "nobody".
func (s *Service) ByPhone(ctx context.Context, p string) (Caller, bool, error) {
	c, ok, err := s.byPhone(ctx, p)
	if err != nil {
		lookupFailures.Inc()
	}
	return c, ok, err
}

func (s *Service) byPhone(ctx context.Context, p string) (Caller, bool, error) {
	forms := storedForms(p)
	if len(forms) == 0 {
		return Caller{}, false, nil
	}
	cat, err := s.Catalog(ctx)
	if err != nil {
		return Caller{}, false, err
	}
	var cols [4]CatalogColumn
	for i, r := range []struct {
		role     role
		override string
	}{{rolePhone, s.columns.Phone}, {roleName, s.columns.Name}, {roleCommercial, s.columns.Commercial}, {roleCreated, s.columns.Created}} {
		col, err := cat.find(r.role, r.override)
		if err != nil && r.role.name != roleCreated.name {
			return Caller{}, false, err
		}
		cols[i] = col
	}
	phoneCol, nameCol, commCol, createdCol := cols[0], cols[1], cols[2], cols[3]
	q := clavus.FolderQuery{PerPage: callerCandidates, Columns: []string{nameCol.Ref(), commCol.Ref(), phoneCol.Ref()}}
	if createdCol.Ref() != "" {
		q.Columns = append(q.Columns, createdCol.Ref())
		q.Sort = []clavus.Sort{{Column: createdCol.Ref(), Desc: true}}
	}
	qs := make([]clavus.FolderQuery, len(forms))
	for i, form := range forms {
		qs[i] = q
		qs[i].Filters = []clavus.Filter{{Column: phoneCol.Ref(), Operator: "CONTAINS", Value: form}}
	}
	pages, errs := s.folderPages(ctx, qs)
	var best Caller
	var bestCreated string
	found := false
	for _, page := range pages {
		if page == nil {
			continue
		}
		for _, f := range page.Results {
			if n, err := phone.Normalize(cell(f, phoneCol)); err != nil || n != p {
				continue
			}
			created := cell(f, createdCol)
			if !found || newer(created, bestCreated) {
				best = Caller{FolderID: f.ID, Name: cell(f, nameCol), Commercial: cell(f, commCol)}
				bestCreated, found = created, true
			}
		}
	}
	if found {
		return best, true, nil
	}
	for _, err := range errs {
		if err != nil {
			return Caller{}, false, err
		}
	}
	return Caller{}, false, nil
}

// cell is f's value in col: cells name their column by id and label.
func cell(f clavus.Folder, col CatalogColumn) string {
	for _, c := range f.Columns {
		if c.ID == col.ID || (col.Label != "" && fold(c.Name) == fold(col.Label)) || (col.Key != "" && c.Name == col.Key) {
			return c.Value
		}
	}
	return ""
}

// createdLayouts are the ways a creation date may be written: ISO (the
// guide's "2022-01-01", with or without a time) and French day-first, with
// or without a time. Times without a zone are read as UTC: only their order
// matters.
var createdLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"2/1/2006 15:04:05",
	"2/1/2006 15:04",
	"2/1/2006 15h04",
	"2/1/2006",
	"2-1-2006 15:04:05",
	"2-1-2006 15:04",
	"2-1-2006",
	"2.1.2006 15:04",
	"2.1.2006",
}

// parseCreated reads a creation-date cell.
func parseCreated(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range createdLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// newer reports whether creation date a is after b, compared as times (the
// cells are text in whatever form Clavus stores); a date that does not
// parse ranks after every date that does, and never replaces an earlier
// candidate of its rank.
func newer(a, b string) bool {
	ta, okA := parseCreated(a)
	tb, okB := parseCreated(b)
	switch {
	case okA && okB:
		return ta.After(tb)
	default:
		return okA && !okB
	}
}

// folderPages is a page for each query: the cached ones from the cache, the
// others from ONE aliased getFolders request, whose pages it caches (under
// the keys Folders uses).
func (s *Service) folderPages(ctx context.Context, qs []clavus.FolderQuery) ([]*clavus.FolderPage, []error) {
	pages, errs := make([]*clavus.FolderPage, len(qs)), make([]error, len(qs))
	keys := make([]cache.Key, len(qs))
	for i, q := range qs {
		id, err := queryID(q)
		if err != nil {
			return pages, slices.Repeat([]error{err}, len(qs))
		}
		keys[i] = cache.Key{Source: Source, Operation: opFolders, ID: id}
	}
	// A cache failure only costs the upstream call it would have saved.
	cached, _ := s.cache.GetMany(ctx, keys)
	var missing []int
	for i := range qs {
		var p clavus.FolderPage
		if i < len(cached) && cached[i] != nil && json.Unmarshal(cached[i], &p) == nil {
			pages[i] = &p
			continue
		}
		missing = append(missing, i)
	}
	if len(missing) == 0 {
		return pages, errs
	}
	ask := make([]clavus.FolderQuery, len(missing))
	for j, i := range missing {
		ask[j] = qs[i]
	}
	got, failed := s.client.FolderPages(ctx, ask)
	for j, i := range missing {
		pages[i], errs[i] = got[j], inputError(failed[j])
		if b, err := json.Marshal(got[j]); failed[j] == nil && err == nil {
			_ = s.cache.Put(ctx, keys[i], folderTTL, b)
		}
	}
	return pages, errs
}
