// Package folders serves Clavus to the resolvers: cached folder pages and
// values (dropped by every prospect upsert), stale-while-revalidate columns
// and teams, team users served stale when Clavus fails, a per-request batch
// loader so every folder of a response gets its values from ONE
// getValuesByIds call (a failed prefetch is primed too, so it is never
// asked twice), and one for team users (ONE aliased getUsers for every
// team). Columns are named to Clavus by key: labels given by callers are
// mapped through the column catalog (Catalog), and a name it does not know
// is BAD_USER_INPUT before any call (sent as given while the catalog cannot
// be loaded). The caller lookup (ByPhone) discovers its columns from the
// catalog, by key or label, case- and accent-insensitively, unless Columns
// overrides them. Input refused by the client before any call becomes
// BAD_USER_INPUT naming the GraphQL argument.
package folders

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"switchboard/graph/cache"
	"switchboard/graph/errs"
	"switchboard/graph/loaders"
	"switchboard/sources/clavus"
	"switchboard/sources/upstream"
)

// Source is the cache and error namespace.
const Source = clavus.Source

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
	client  *clavus.Client
	cache   *cache.Cache
	columns clavus.Columns
}

// New wraps a Clavus client and the shared cache; cols overrides the
// columns the caller lookup discovers.
func New(c *clavus.Client, ch *cache.Cache, cols clavus.Columns) *Service {
	return &Service{client: c, cache: ch, columns: cols}
}

// found is a folder's values, its absence from Clavus's answer, or the
// failure of the call that should have brought them.
type found struct {
	values []clavus.Value
	ok     bool
	err    error
}

type loader struct {
	values *dataloader.Loader[string, found]
	users  *dataloader.Loader[string, clavus.TeamUsers]
}

// WithLoader gives one GraphQL request its own loaders, built when the
// request first reaches Clavus.
func (s *Service) WithLoader(ctx context.Context) context.Context { return loaders.WithScope(ctx) }

func (s *Service) newLoader() *loader {
	return &loader{
		values: loaders.Batch(maxBatch, s.fetchValues),
		users:  loaders.Batch(maxBatch, s.fetchUsers),
	}
}

func (s *Service) loader(ctx context.Context) *loader { return loaders.For(ctx, s, s.newLoader) }

// Folders returns one page of folders.
func (s *Service) Folders(ctx context.Context, q clavus.FolderQuery) (*clavus.FolderPage, error) {
	if err := q.Check(); err != nil {
		return nil, inputError(err)
	}
	if len(q.Columns)+len(q.Filters)+len(q.Sort) > 0 {
		var err error
		if q, err = s.mapColumns(ctx, q); err != nil {
			return nil, err
		}
	}
	return s.folders(ctx, q)
}

// folders is Folders for a query whose columns are named as Clavus takes
// them.
func (s *Service) folders(ctx context.Context, q clavus.FolderQuery) (*clavus.FolderPage, error) {
	id, err := queryID(q)
	if err != nil {
		return nil, err
	}
	page, err := cache.GetJSON(ctx, s.cache, cache.Key{Source: Source, Operation: opFolders, ID: id}, folderTTL,
		func(ctx context.Context) (*clavus.FolderPage, error) { return s.client.Folders(ctx, q) })
	return page, inputError(err)
}

// mapColumns names the columns of q as Clavus takes them (labels become
// keys). A column the catalog does not know is BAD_USER_INPUT naming the
// argument, before any call; without a catalog the columns go as given
// (Clavus's answer then says what is wrong).
func (s *Service) mapColumns(ctx context.Context, q clavus.FolderQuery) (clavus.FolderQuery, error) {
	cat, err := s.Catalog(ctx)
	if err != nil {
		return q, nil
	}
	resolve := func(arg, ref string) (string, error) {
		if col, ok := cat.Find(ref); ok {
			return col.Ref(), nil
		}
		return "", errs.BadInput(arg, "%s: unknown column %q (neither a key nor a label of this Clavus's columns)", arg, truncate(ref, maxEcho))
	}
	cols := make([]string, len(q.Columns))
	for i, c := range q.Columns {
		if cols[i], err = resolve("columns", c); err != nil {
			return q, err
		}
	}
	filters := make([]clavus.Filter, len(q.Filters))
	for i, f := range q.Filters {
		if f.Column, err = resolve("filter.column", f.Column); err != nil {
			return q, err
		}
		filters[i] = f
	}
	sorts := make([]clavus.Sort, len(q.Sort))
	for i, o := range q.Sort {
		if o.Column, err = resolve("sort.column", o.Column); err != nil {
			return q, err
		}
		sorts[i] = o
	}
	q.Columns, q.Filters, q.Sort = cols, filters, sorts
	return q, nil
}

// maxEcho bounds the characters of a caller's input quoted in an error.
const maxEcho = 100

// truncate cuts s to n characters, marking the cut.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
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

// Users returns a team's users through the request's loader: the teams of
// a response share one aliased getUsers request.
func (s *Service) Users(ctx context.Context, teamID string) ([]clavus.User, error) {
	tu, err := s.loader(ctx).users.Load(ctx, teamID)()
	if err != nil {
		return nil, err
	}
	return tu.Users, tu.Err
}

// PrefetchUsers fetches the users of teams in one request and primes the
// request's loader with them (as PrefetchValues, for slow resolvers).
func (s *Service) PrefetchUsers(ctx context.Context, teamIDs []string) {
	got, err := s.fetchUsers(ctx, teamIDs)
	l := s.loader(ctx).users
	for _, id := range teamIDs {
		tu, ok := got[id]
		if err != nil || !ok {
			tu = clavus.TeamUsers{Err: cmp.Or(err, errors.New("no answer for this team"))}
		}
		l.Prime(ctx, id, tu)
	}
}

// fetchUsers answers each team's users from the cache, and the others from
// ONE aliased getUsers request, whose answers it caches; a team Clavus
// failed to answer gets its stale copy, if the cache still has one.
func (s *Service) fetchUsers(ctx context.Context, teamIDs []string) (map[string]clavus.TeamUsers, error) {
	out := make(map[string]clavus.TeamUsers, len(teamIDs))
	keys := make([]cache.Key, len(teamIDs))
	for i, id := range teamIDs {
		keys[i] = cache.Key{Source: Source, Operation: opUsers, ID: id}
	}
	cached, _ := s.cache.GetMany(ctx, keys)
	var missing []string
	for i, id := range teamIDs {
		var u []clavus.User
		if i < len(cached) && cached[i] != nil && json.Unmarshal(cached[i], &u) == nil {
			out[id] = clavus.TeamUsers{Users: u}
			continue
		}
		missing = append(missing, id)
	}
	if len(missing) == 0 {
		return out, nil
	}
	got, err := s.client.UsersOfTeams(ctx, missing)
	for _, id := range missing {
		tu, ok := got[id]
		if err != nil || !ok {
			tu = clavus.TeamUsers{Err: cmp.Or(err, errors.New("no answer for this team"))}
		}
		key := keys[slices.Index(teamIDs, id)]
		if tu.Err != nil {
			tu = s.staleUsers(ctx, key, tu.Err)
		} else if b, err := json.Marshal(tu.Users); err == nil {
			_ = s.cache.Put(ctx, key, teamTTL, b)
		}
		out[id] = tu
	}
	return out, nil
}

// staleUsers is a team's users kept past their TTL (within the cache's
// grace), served when Clavus failed to give them, and the response marked
// stale (the cache's OnStale); failure when there is no such copy. Fetch
// serves it: its fetch function is the failure already met, so Clavus is
// not asked again.
func (s *Service) staleUsers(ctx context.Context, key cache.Key, failure error) clavus.TeamUsers {
	b, err := s.cache.Fetch(ctx, key, teamTTL, func(context.Context) ([]byte, error) { return nil, failure })
	var users []clavus.User
	if err != nil || json.Unmarshal(b, &users) != nil {
		return clavus.TeamUsers{Err: failure}
	}
	return clavus.TeamUsers{Users: users}
}

// AllUsers returns the users of every team, each once, in team order: one
// getTeams and one aliased getUsers request.
func (s *Service) AllUsers(ctx context.Context) ([]clavus.User, error) {
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(teams))
	for i, t := range teams {
		ids[i] = t.ID
	}
	got, err := s.fetchUsers(ctx, ids)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []clavus.User
	var errsSeen error
	for _, id := range ids {
		tu := got[id]
		if tu.Err != nil {
			errsSeen = tu.Err
			continue
		}
		for _, u := range tu.Users {
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

// Check, for check-config, introspects Clavus and validates every
// operation against its schema (failing when one cannot be adapted), then
// reaches it with the smallest query there is.
func (s *Service) Check(ctx context.Context) error {
	if err := s.client.CheckSchema(ctx).Err(); err != nil {
		return err
	}
	_, err := s.client.Columns(ctx, 1, 1)
	return err
}

// SchemaNote says what the last schema check found or adapted.
func (s *Service) SchemaNote() string { return s.client.SchemaStatus().Summary() }

// SchemaReady is the readiness probe: it fails, naming operation, argument
// and both types, while the live Clavus refuses an operation we send. A
// Clavus that refuses introspection is not a failure.
func (s *Service) SchemaReady(ctx context.Context) error {
	rep := s.client.SchemaStatus()
	if rep == nil {
		rep = s.client.CheckSchema(ctx)
	}
	return rep.Err()
}

// StartSchemaCheck introspects Clavus in the background, at start-up, so
// that the first client request does not wait for it.
func (s *Service) StartSchemaCheck(ctx context.Context, log func(msg string, args ...any)) {
	go func() {
		rep := s.client.CheckSchema(ctx)
		if err := rep.Err(); err != nil {
			log("Clavus schema check failed", "err", err)
			return
		}
		log("Clavus schema check", "result", rep.Summary())
	}()
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
	var ie *upstream.InputError
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
		case err != nil || f.err != nil:
			out[i].Err = inputError(cmp.Or(err, f.err))
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
// detector, would be split into several calls.) A failure is primed too:
// each folder answers it, and Clavus is not asked a second time.
func (s *Service) PrefetchValues(ctx context.Context, ids []string) {
	got, err := s.fetchValues(ctx, ids)
	l := s.loader(ctx).values
	for _, id := range ids {
		f, ok := got[id]
		if err != nil || !ok {
			f = found{err: cmp.Or(err, errors.New("no answer for this folder"))}
		}
		l.Prime(ctx, id, f)
	}
}
