package clavus

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"switchboard/sources/clavus/clavusgql"
	"switchboard/sources/upstream"
)

// Operation names, as sent to Clavus and used in metrics and errors.
const (
	opGetFolders     = "GetFolders"
	opGetColumns     = "GetColumns"
	opGetTeams       = "GetTeams"
	opGetUsers       = "GetUsers"
	opGetValuesByIDs = "GetValuesByIds"
	opUpsertProspect = "UpsertProspect"
)

// Paging bounds.
const (
	DefaultPerPage = 50
	MaxPerPage     = 200
)

// Operators accepted in a Filter.
var Operators = []string{"=", "<", ">", "<=", ">=", "IN", "CONTAINS"}

// FolderQuery selects a page of folders.
type FolderQuery struct {
	Page    int      // 1-based; 0 means 1
	PerPage int      // 1..MaxPerPage; 0 means DefaultPerPage
	Search  string   // Clavus search on the folder name; "quoted phrases" allowed
	Columns []string // columns to return (id, key or label); all when empty
	Filters []Filter // all must hold
	Sort    []Sort   // first key first
}

// Filter keeps folders whose Column compares to Value with Operator (one of
// Operators; IN takes a comma-separated list).
type Filter struct {
	Column, Operator, Value string
}

// Sort orders by Column, ascending unless Desc.
type Sort struct {
	Column string
	Desc   bool
}

// FolderPage is one page of folders.
type FolderPage struct {
	TotalCount int // matching folders over all pages
	Results    []Folder
}

// Folder is a Clavus folder (dossier) and its cells.
type Folder struct {
	ID      string
	Columns []Column
}

// Column is one cell: the column id, its label (Clavus calls it name) and the
// value as text ("" when null).
type Column struct {
	ID, Name, Value string
}

// Value returns the cell of the column with this id or label.
func (f Folder) Value(idOrName string) (string, bool) {
	for _, c := range f.Columns {
		if c.ID == idOrName || strings.EqualFold(c.Name, idOrName) {
			return c.Value, true
		}
	}
	return "", false
}

// ColumnDef is a column definition from getColumns.
type ColumnDef struct {
	ID, Label string
}

// Value is one field of a folder from getValuesByIds.
type Value struct {
	ID    string
	Name  string // technical key, e.g. "commercial.accompagnant"
	Label string // e.g. "Commercial accompagnant"
	Value string // "" when null
}

func checkPaging(op string, page, perPage int) (int, int, error) {
	if page == 0 {
		page = 1
	}
	if perPage == 0 {
		perPage = DefaultPerPage
	}
	if page < 1 {
		return 0, 0, badInput(op, "page", "must be at least 1")
	}
	if perPage < 1 || perPage > MaxPerPage {
		return 0, 0, badInput(op, "perPage", "must be between 1 and %d", MaxPerPage)
	}
	return page, perPage, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Check refuses a query Clavus would refuse, naming the field.
func (q FolderQuery) Check() error {
	_, err := q.vars()
	return err
}

type folderVars struct {
	page, perPage int
	search        *string
	cols          []*string
	filters       []*clavusgql.FilterInput
	sorts         []*clavusgql.SortInput
}

func (q FolderQuery) vars() (*folderVars, error) {
	page, perPage, err := checkPaging(opGetFolders, q.Page, q.PerPage)
	if err != nil {
		return nil, err
	}
	v := &folderVars{page: page, perPage: perPage}
	if s := strings.TrimSpace(q.Search); s != "" {
		v.search = &s
	}
	for _, col := range q.Columns {
		if strings.TrimSpace(col) == "" {
			return nil, badInput(opGetFolders, "columns", "empty column name")
		}
		v.cols = append(v.cols, &col)
	}
	for _, f := range q.Filters {
		if strings.TrimSpace(f.Column) == "" {
			return nil, badInput(opGetFolders, "filters.column", "empty column name")
		}
		op := strings.ToUpper(strings.TrimSpace(f.Operator))
		if !slices.Contains(Operators, op) {
			return nil, badInput(opGetFolders, "filters.operator", "%q is not one of %s", f.Operator, strings.Join(Operators, " "))
		}
		v.filters = append(v.filters, &clavusgql.FilterInput{Column: f.Column, Operator: op, Value: f.Value})
	}
	for _, s := range q.Sort {
		if strings.TrimSpace(s.Column) == "" {
			return nil, badInput(opGetFolders, "sort.column", "empty column name")
		}
		dir := "asc"
		if s.Desc {
			dir = "desc"
		}
		v.sorts = append(v.sorts, &clavusgql.SortInput{Column: s.Column, Direction: &dir})
	}
	return v, nil
}

// Folders returns one page of folders.
func (c *Client) Folders(ctx context.Context, q FolderQuery) (*FolderPage, error) {
	v, err := q.vars()
	if err != nil {
		return nil, err
	}
	resp, err := clavusgql.GetFolders(ctx, c.gql, v.page, v.perPage, v.search, v.cols, v.filters, v.sorts)
	pe, failed := partial(err)
	if failed {
		return nil, err
	}
	return folderPage(&resp.ErpEnrAPI.GetFolders), asError(pe)
}

func folderPage(fp *clavusgql.GetFoldersErpEnrAPIGetFoldersFolderPage) *FolderPage {
	out := &FolderPage{TotalCount: fp.TotalCount, Results: make([]Folder, 0, len(fp.Results))}
	for _, r := range fp.Results {
		f := Folder{ID: r.Id, Columns: make([]Column, 0, len(r.Columns))}
		for _, col := range r.Columns {
			f.Columns = append(f.Columns, Column{ID: col.Id, Name: col.Name, Value: deref(col.Value)})
		}
		out.Results = append(out.Results, f)
	}
	return out
}

// opGetFoldersMany names the aliased getFolders request in metrics and
// errors.
const opGetFoldersMany = "GetFoldersMany"

// FolderPages returns a page for each query, from ONE request: getFolders
// once per query under an alias (see aliasedCall), decoded into genqlient's
// GetFolders types. errs[i] is why pages[i] is nil: the query was refused
// before any call, or Clavus failed it. When Clavus refuses the aliased
// document itself, or one query's error nulls every answer, each query is
// asked on its own, concurrently.
func (c *Client) FolderPages(ctx context.Context, qs []FolderQuery) (pages []*FolderPage, errs []error) {
	pages, errs = make([]*FolderPage, len(qs)), make([]error, len(qs))
	var sent []int // indexes of qs in the request
	var vars []map[string]any
	for i, q := range qs {
		v, err := q.vars()
		if err != nil {
			errs[i] = err
			continue
		}
		m := map[string]any{"page": v.page, "itemParPage": v.perPage}
		// Absent as genqlient's omitempty leaves them (the adapter then
		// prunes their declarations).
		if v.search != nil {
			m["search"] = v.search
		}
		if len(v.cols) > 0 {
			m["columns"] = v.cols
		}
		if len(v.filters) > 0 {
			m["filterColumns"] = v.filters
		}
		if len(v.sorts) > 0 {
			m["sortBy"] = v.sorts
		}
		sent, vars = append(sent, i), append(vars, m)
	}
	alone := func() {
		eachAlone(len(sent), func(j int) {
			i := sent[j]
			pages[i], errs[i] = c.Folders(ctx, qs[i])
			if _, failed := partial(errs[i]); !failed {
				errs[i] = nil
			}
		})
	}
	switch len(sent) {
	case 0:
		return pages, errs
	case 1:
		alone()
		return pages, errs
	}
	answers, pe, err := c.aliased(ctx, aliasedCall{op: opGetFoldersMany, base: clavusgql.GetFolders_Operation, prefix: "f", vars: vars})
	if err != nil {
		if askEachAlone(err) {
			alone()
			return pages, errs
		}
		for _, i := range sent {
			errs[i] = err
		}
		return pages, errs
	}
	for j, i := range sent {
		if answers[j].data == nil {
			errs[i] = c.itemError(opGetFoldersMany, answers[j], pe)
			continue
		}
		var fp clavusgql.GetFoldersErpEnrAPIGetFoldersFolderPage
		if err := json.Unmarshal(answers[j].data, &fp); err != nil {
			errs[i] = upstream.NewError(Source, opGetFoldersMany, upstream.KindInvalidResponse, 0, "unexpected data shape", nil, err)
			continue
		}
		pages[i] = folderPage(&fp)
	}
	return pages, errs
}

// asError keeps a nil *PartialError from becoming a non-nil error.
func asError(pe *PartialError) error {
	if pe == nil {
		return nil
	}
	return pe
}

// Columns returns one page of column definitions.
func (c *Client) Columns(ctx context.Context, page, perPage int) ([]ColumnDef, error) {
	page, perPage, err := checkPaging(opGetColumns, page, perPage)
	if err != nil {
		return nil, err
	}
	resp, err := clavusgql.GetColumns(ctx, c.gql, page, perPage)
	pe, failed := partial(err)
	if failed {
		return nil, err
	}
	out := make([]ColumnDef, 0, len(resp.ErpEnrAPI.GetColumns))
	for _, col := range resp.ErpEnrAPI.GetColumns {
		out = append(out, ColumnDef{ID: col.Id, Label: col.Label})
	}
	return out, asError(pe)
}

// ValuesByIDs returns every field of each folder, by folder id. An id Clavus
// does not know is absent from the map and reported in a *PartialError
// returned with the map.
func (c *Client) ValuesByIDs(ctx context.Context, ids []string) (map[string][]Value, error) {
	if len(ids) == 0 {
		return map[string][]Value{}, nil
	}
	for _, id := range ids {
		if strings.TrimSpace(id) == "" {
			return nil, badInput(opGetValuesByIDs, "ids", "empty folder id")
		}
	}
	resp, err := clavusgql.GetValuesByIds(ctx, c.gql, ids)
	pe, failed := partial(err)
	if failed {
		return nil, err
	}
	out := make(map[string][]Value, len(ids))
	for _, fv := range resp.ErpEnrAPI.GetValuesByIds {
		if fv == nil {
			continue
		}
		vals := make([]Value, 0, len(fv.Values))
		for _, v := range fv.Values {
			vals = append(vals, Value{ID: v.Id, Name: v.Name, Label: v.Label, Value: deref(v.Value)})
		}
		out[fv.Id] = vals
	}
	return out, asError(pe)
}
