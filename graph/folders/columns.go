package folders

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"switchboard/graph/cache"
	"switchboard/graph/errs"
	"switchboard/sources/clavus"
)

// CatalogColumn is one Clavus column as the gateway knows it: its id and
// label (getColumns) and its technical key (the "name" getValuesByIds
// gives its values), when a sample folder showed it.
type CatalogColumn struct {
	ID, Key, Label string
}

// Catalog is every column of this Clavus.
type Catalog []CatalogColumn

// Find is the column ref names by id, key or label (case- and
// accent-insensitively).
func (c Catalog) Find(ref string) (CatalogColumn, bool) {
	f := fold(ref)
	for _, col := range c {
		if ref == col.ID || (col.Key != "" && f == fold(col.Key)) || f == fold(col.Label) {
			return col, true
		}
	}
	return CatalogColumn{}, false
}

// Ref is how a column is named to Clavus: by key, as the guide's filters
// do ("commercial"), else by id.
func (col CatalogColumn) Ref() string { return cmp.Or(col.Key, col.ID) }

// fold lowercases, strips accents and turns punctuation into spaces.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.':
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// role is what the caller lookup needs a column for.
type role struct {
	name string // for errors
	env  string // the override variable
	keys []string
	// label matches when the folded label is one of these, or starts with
	// one followed by a space
	labels []string
	// never excludes labels or keys holding this word
	never string
}

var (
	rolePhone = role{name: "phone", env: "CLAVUS_PHONE_COLUMN",
		keys:   []string{"telephone", "tel", "phone", "mobile", "portable", "telephoneportable", "numerotelephone"},
		labels: []string{"telephone", "tel", "tel.", "phone", "mobile", "portable", "numero de telephone"}, never: "fax"}
	roleName = role{name: "client name", env: "CLAVUS_NAME_COLUMN",
		keys:   []string{"client.nom", "nom", "nomcomplet", "nomclient", "name", "fullname", "client", "raisonsociale"},
		labels: []string{"nom du client", "client", "nom", "nom complet", "nom du dossier"}}
	roleCommercial = role{name: "commercial", env: "CLAVUS_COMMERCIAL_COLUMN",
		keys:   []string{"commercial", "commercialid", "responsable", "commercialresponsable"},
		labels: []string{"commercial", "responsable"}, never: "accompagnant"}
	roleCreated = role{name: "creation date", env: "CLAVUS_CREATED_COLUMN",
		keys:   []string{"datecreation", "createdat", "creationdate", "datedecreation", "creele"},
		labels: []string{"date de creation", "date creation", "cree le", "creation", "created at"}}
)

func (r role) matchKey(key string) bool {
	k := strings.ReplaceAll(fold(key), " ", "")
	if k == "" || (r.never != "" && strings.Contains(k, r.never)) {
		return false
	}
	last := k[strings.LastIndex(k, ".")+1:]
	for _, want := range r.keys {
		if k == want || last == want {
			return true
		}
	}
	return false
}

func (r role) matchLabel(label string) bool {
	l := fold(label)
	if l == "" || (r.never != "" && strings.Contains(l, r.never)) {
		return false
	}
	for _, want := range r.labels {
		if l == want || strings.HasPrefix(l, want+" ") {
			return true
		}
	}
	return false
}

// find is the column of role r: the override when set, else the first
// column whose key, then whose label, matches.
func (c Catalog) find(r role, override string) (CatalogColumn, error) {
	if override != "" {
		if col, ok := c.Find(override); ok {
			return col, nil
		}
		// An override Clavus lists nowhere may still be a key it takes.
		return CatalogColumn{ID: override, Key: override, Label: override}, nil
	}
	for _, col := range c {
		if r.matchKey(col.Key) || r.matchKey(col.ID) {
			return col, nil
		}
	}
	for _, col := range c {
		if r.matchLabel(col.Label) {
			return col, nil
		}
	}
	return CatalogColumn{}, &errs.Error{Code: errs.UpstreamInvalidResponse, Source: Source,
		Message: "Clavus lists no " + r.name + " column (getColumns); set " + r.env + " to its key or label"}
}

// catalogSample is how many folders show their column keys to the catalog.
const catalogSample = 5

// Catalog is every column, by id, key and label: getColumns (all pages),
// joined to the keys a few folders' values show (getValuesByIds names a
// value by key and label). It is cached like the columns.
func (s *Service) Catalog(ctx context.Context) (Catalog, error) {
	return cache.GetJSONSWR(ctx, s.cache, cache.Key{Source: Source, Operation: opColumns, ID: "catalog"}, columnTTL, s.fetchCatalog)
}

func (s *Service) fetchCatalog(ctx context.Context) (Catalog, error) {
	var cat Catalog
	for page := 1; ; page++ {
		defs, err := s.client.Columns(ctx, page, clavus.MaxPerPage)
		if _, failed := partialErr(err); failed {
			return nil, err
		}
		for _, d := range defs {
			cat = append(cat, CatalogColumn{ID: d.ID, Label: d.Label})
		}
		if len(defs) < clavus.MaxPerPage {
			break
		}
	}
	fp, err := s.client.Folders(ctx, clavus.FolderQuery{PerPage: catalogSample})
	if _, failed := partialErr(err); failed {
		return nil, err
	}
	ids := make([]string, len(fp.Results))
	for i, f := range fp.Results {
		ids[i] = f.ID
	}
	vals, err := s.client.ValuesByIDs(ctx, ids)
	if _, failed := partialErr(err); failed {
		return nil, err
	}
	for _, id := range ids {
		for _, v := range vals[id] {
			i := -1
			for j, col := range cat {
				if col.ID == v.ID || fold(col.Label) == fold(v.Label) {
					i = j
					break
				}
			}
			if i < 0 {
				cat = append(cat, CatalogColumn{ID: v.ID, Key: v.Name, Label: v.Label})
			} else if cat[i].Key == "" {
				cat[i].Key = v.Name
			}
		}
	}
	return cat, nil
}

// partialErr separates a partial answer (usable) from a failure.
func partialErr(err error) (*clavus.PartialError, bool) {
	var pe *clavus.PartialError
	if err == nil || errors.As(err, &pe) {
		return pe, false
	}
	return nil, true
}
