// Package folders serves Clavus to the resolvers: cached folder pages and
// values (dropped by every prospect upsert), stale-while-revalidate columns and
// teams, a per-request batch loader so every folder of a response gets its
// values from ONE getValuesByIds call, and a fan-out loader for team users.
// Input refused by the client before any call becomes BAD_USER_INPUT naming
// the GraphQL argument.
package folders

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/graph-gophers/dataloader/v7"
	"github.com/nyaruka/phonenumbers"

	"switchboard/graph/cache"
	"switchboard/graph/errs"
	"switchboard/graph/loaders"
	"switchboard/sources/clavus"
)

// Source is the cache and error namespace.
const Source = "clavus"

// Cache lifetimes: folders move with the sales pipeline; columns and teams
// are set up once and served stale while they refresh.
const (
	folderTTL = time.Minute
	columnTTL = time.Hour
	teamTTL   = 10 * time.Minute
)

// Cache operations (namespaces); opFolders is dropped by upserts.
const (
	opFolders = "folders"
	opColumns = "columns"
	opTeams   = "teams"
	opUsers   = "users"
	opValues  = "values"
)

// maxBatch is the most ids sent in one getValuesByIds call (a page holds at
// most clavus.MaxPerPage folders).
const maxBatch = clavus.MaxPerPage

// Service is Clavus for the resolvers.
type Service struct {
	client *clavus.Client
	cache  *cache.Cache
}

// New wraps a Clavus client and the shared cache.
func New(c *clavus.Client, ch *cache.Cache) *Service { return &Service{client: c, cache: ch} }

// found is a folder's values, or its absence from Clavus's answer.
type found struct {
	values []clavus.Value
	ok     bool
}

type loader struct {
	values *dataloader.Loader[string, found]
	users  *loaders.Group[string, []clavus.User]
}

type ctxKey struct{}

// WithLoader gives one GraphQL request its own loaders.
func (s *Service) WithLoader(ctx context.Context) context.Context {
	return context.WithValue(ctx, ctxKey{}, &loader{
		values: loaders.Batch(maxBatch, s.fetchValues),
		users:  loaders.FanOut(s.teamUsers),
	})
}

func (s *Service) loader(ctx context.Context) *loader {
	if l, ok := ctx.Value(ctxKey{}).(*loader); ok {
		return l
	}
	return s.WithLoader(ctx).Value(ctxKey{}).(*loader)
}

// Folders returns one page of folders.
func (s *Service) Folders(ctx context.Context, q clavus.FolderQuery) (*clavus.FolderPage, error) {
	id, err := queryID(q)
	if err != nil {
		return nil, err
	}
	page, err := cache.GetJSON(ctx, s.cache, cache.Key{Source: Source, Operation: opFolders, ID: id}, folderTTL,
		func(ctx context.Context) (*clavus.FolderPage, error) { return s.client.Folders(ctx, q) })
	return page, inputError(err)
}

// queryID names a folder query in the cache.
func queryID(q clavus.FolderQuery) (string, error) {
	b, err := json.Marshal(q)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), nil
}

// Columns returns one page of column definitions.
func (s *Service) Columns(ctx context.Context, page, perPage int) ([]clavus.ColumnDef, error) {
	id, _ := json.Marshal([2]int{page, perPage})
	cols, err := cache.GetJSONSWR(ctx, s.cache, cache.Key{Source: Source, Operation: opColumns, ID: string(id)}, columnTTL,
		func(ctx context.Context) ([]clavus.ColumnDef, error) { return s.client.Columns(ctx, page, perPage) })
	return cols, inputError(err)
}

// Teams returns every team.
func (s *Service) Teams(ctx context.Context) ([]clavus.Team, error) {
	return cache.GetJSONSWR(ctx, s.cache, cache.Key{Source: Source, Operation: opTeams, ID: "all"}, teamTTL, s.client.Teams)
}

// Users returns a team's users through the request's loader.
func (s *Service) Users(ctx context.Context, teamID string) ([]clavus.User, error) {
	return loaders.Load(ctx, s.loader(ctx).users, teamID)
}

func (s *Service) teamUsers(ctx context.Context, teamID string) ([]clavus.User, error) {
	return cache.GetJSONSWR(ctx, s.cache, cache.Key{Source: Source, Operation: opUsers, ID: teamID}, teamTTL,
		func(ctx context.Context) ([]clavus.User, error) { return s.client.Users(ctx, teamID) })
}

// AllUsers returns the users of every team, each once, in team order.
func (s *Service) AllUsers(ctx context.Context) ([]clavus.User, error) {
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, err
	}
	l := s.loader(ctx).users // one loader, so the teams share it
	thunks := make([]dataloader.Thunk[[]clavus.User], len(teams))
	for i, t := range teams {
		thunks[i] = l.Load(ctx, t.ID)
	}
	seen := map[string]bool{}
	var out []clavus.User
	var errsSeen error
	for _, th := range thunks {
		users, err := th()
		if err != nil {
			errsSeen = err
			continue
		}
		for _, u := range users {
			if !seen[u.ID] {
				seen[u.ID] = true
				out = append(out, u)
			}
		}
	}
	return out, errsSeen
}

// Values returns one folder's fields; every Values call of a request made
// within the loader's wait shares one getValuesByIds call.
func (s *Service) Values(ctx context.Context, folderID string) ([]clavus.Value, error) {
	f := s.ValuesOf(ctx, []string{folderID})[0]
	return f.Values, f.Err
}

// fetchValues answers each folder's values from the cache, and the others
// from ONE getValuesByIds call, whose answers it caches.
func (s *Service) fetchValues(ctx context.Context, ids []string) (map[string]found, error) {
	out := make(map[string]found, len(ids))
	keys := make([]cache.Key, len(ids))
	for i, id := range ids {
		keys[i] = valuesKey(id)
	}
	// A cache failure only costs the upstream call it would have saved.
	cached, _ := s.cache.GetMany(ctx, keys)
	var missing []string
	for i, id := range ids {
		var v []clavus.Value
		if i < len(cached) && cached[i] != nil && json.Unmarshal(cached[i], &v) == nil {
			out[id] = found{values: v, ok: true}
			continue
		}
		missing = append(missing, id)
	}
	if len(missing) == 0 {
		return out, nil
	}
	got, err := s.client.ValuesByIDs(ctx, missing)
	var pe *clavus.PartialError
	if err != nil && !errors.As(err, &pe) {
		return nil, err
	}
	// Unknown ids are null items beside the known ones: each folder gets
	// its own answer, and the missing ones a NOT_FOUND (never cached).
	for _, id := range missing {
		v, ok := got[id]
		out[id] = found{values: v, ok: ok}
		if b, err := json.Marshal(v); ok && err == nil {
			_ = s.cache.Put(ctx, valuesKey(id), folderTTL, b)
		}
	}
	return out, nil
}

func valuesKey(id string) cache.Key { return cache.Key{Source: Source, Operation: opValues, ID: id} }

// UpsertProspect writes a prospect, then drops the cached folder pages and
// values it may have changed.
func (s *Service) UpsertProspect(ctx context.Context, in clavus.ProspectInput) (*clavus.Prospect, error) {
	p, err := s.client.UpsertProspect(ctx, in)
	var pe *clavus.PartialError
	if err != nil && !errors.As(err, &pe) {
		return nil, inputErrorIn("input.", err)
	}
	// The write happened (even with a partial answer): pages are stale
	// either way. An invalidation failure is logged by the cache; the pages
	// then expire with their TTL.
	for _, op := range []string{opFolders, opValues} {
		_ = s.cache.Invalidate(context.WithoutCancel(ctx), Source, op)
	}
	return p, err
}

// Check reaches Clavus with the smallest query there is, for check-config
// and readiness.
func (s *Service) Check(ctx context.Context) error {
	_, err := s.client.Columns(ctx, 1, 1)
	return err
}

// fieldNames maps the client's field names onto the GraphQL arguments.
var fieldNames = map[string]string{
	"filters.column":   "filter.column",
	"filters.operator": "filter.operator",
}

// inputError turns input the client refused into BAD_USER_INPUT naming the
// GraphQL argument; other errors pass unchanged.
func inputError(err error) error { return inputErrorIn("", err) }

// inputErrorIn is inputError for the fields of an input object argument
// (prefix "input."); the client's "input" (nothing to write) is the argument.
func inputErrorIn(prefix string, err error) error {
	var ie *clavus.InputError
	if err == nil || !errors.As(err, &ie) {
		return err
	}
	field := ie.Field
	if f, ok := fieldNames[field]; ok {
		field = f
	}
	if prefix != "" && field != "input" {
		field = prefix + field
	}
	return errs.BadInput(field, "%s: %s", field, ie.Message)
}

// Found is one folder's values, or why there are none.
type Found struct {
	Values []clavus.Value
	Err    error
}

// ValuesOf returns the values of every folder of ids, in order, from one
// getValuesByIds call (ids past maxBatch make more).
func (s *Service) ValuesOf(ctx context.Context, ids []string) []Found {
	l := s.loader(ctx).values // one loader, so the ids share one batch
	thunks := make([]dataloader.Thunk[found], len(ids))
	for i, id := range ids {
		thunks[i] = l.Load(ctx, id)
	}
	out := make([]Found, len(ids))
	for i, th := range thunks {
		f, err := th()
		switch {
		case err != nil:
			out[i].Err = inputError(err)
		case !f.ok:
			out[i].Err = errs.NotFoundf(Source, "Clavus has no folder %q", ids[i])
		default:
			out[i].Values = f.values
		}
	}
	return out
}

// PrefetchValues fetches the values of a page's folders in one
// getValuesByIds call and primes the request's loader with them, so every
// Folder.values of the page is served from it. (The loader alone gathers
// keys for a few milliseconds only; a slow page, e.g. under the race
// detector, would be split into several calls.) On failure nothing is
// primed and each folder's values go through the loader as usual.
func (s *Service) PrefetchValues(ctx context.Context, ids []string) {
	got, err := s.fetchValues(ctx, ids)
	if err != nil {
		return
	}
	l := s.loader(ctx).values
	for id, f := range got {
		l.Prime(ctx, id, f)
	}
}

// Columns the caller lookup reads, by technical key. The guide names no
// phone column; "telephone", "client.nom" and "commercial" are the keys its
// samples use for the folder's phone, client name and commercial.
const (
	colPhone      = "telephone"
	colClient     = "client.nom"
	colCommercial = "commercial"
)

// Caller is the folder a phone belongs to: the client's name and the id of
// the commercial in charge.
type Caller struct {
	FolderID, Name, Commercial string
}

// nationalNumber is the national significant number of p (E.164 digits):
// "33612345678" → "612345678".
func nationalNumber(p string) string {
	num, err := phonenumbers.Parse("+"+p, "")
	if err != nil {
		return ""
	}
	return strconv.FormatUint(num.GetNationalNumber(), 10)
}

// ByPhone finds the most recent folder whose phone holds p (E.164 digits).
// Clavus stores phones as typed ("06 12 34 56 78", "0612345678"), so the
// search is on the national significant number, which every form contains
// once spaces are gone; folders written with spaces are not found.
func (s *Service) ByPhone(ctx context.Context, p string) (Caller, bool, error) {
	national := nationalNumber(p)
	if national == "" {
		return Caller{}, false, nil
	}
	page, err := s.Folders(ctx, clavus.FolderQuery{
		PerPage: 1,
		Columns: []string{colClient, colCommercial, colPhone},
		Filters: []clavus.Filter{{Column: colPhone, Operator: "CONTAINS", Value: national}},
		Sort:    []clavus.Sort{{Column: "dateCreation", Desc: true}},
	})
	var pe *clavus.PartialError
	if err != nil && !errors.As(err, &pe) {
		return Caller{}, false, err
	}
	if page == nil || len(page.Results) == 0 {
		return Caller{}, false, nil
	}
	// Cells name their column by id and label, not by key; they come in
	// the order the columns were asked for.
	f := page.Results[0]
	if len(f.Columns) < 2 {
		return Caller{}, false, nil
	}
	return Caller{FolderID: f.ID, Name: f.Columns[0].Value, Commercial: f.Columns[1].Value}, true, nil
}
