package fake

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// MaxPerPage bounds itemParPage.
const MaxPerPage = 200

func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		return int(x), true
	case int:
		return x, true
	case float64:
		return int(x), x == math.Trunc(x)
	case json.Number:
		n, err := x.Int64()
		return int(n), err == nil
	}
	return 0, false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func str(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

func pagination(args map[string]any) (page, per int, err *gqlerror.Error) {
	page, _ = toInt(args["page"])
	per, _ = toInt(args["itemParPage"])
	if page < 1 {
		return 0, 0, codeErr("BAD_USER_INPUT", "page must be greater than or equal to 1")
	}
	if per < 1 || per > MaxPerPage {
		return 0, 0, codeErr("BAD_USER_INPUT", "itemParPage must be between 1 and %d", MaxPerPage)
	}
	return page, per, nil
}

func window(n, page, per int) (int, int) {
	lo := min((page-1)*per, n)
	return lo, min(lo+per, n)
}

// served are the columns as this fake names them (Options.Keys).
func (s *Server) served() []Column {
	if s.opts.Keys == KeysDotted {
		return DottedColumns
	}
	return Columns
}

// column finds a column by id, key or (flat keys only) label, label
// case-insensitively. The result is keyed as stored (Columns), named as
// served in name.
func (s *Server) column(ref string) (stored Column, name Column, ok bool) {
	for i, c := range s.served() {
		if ref == c.ID || ref == c.Key || (s.opts.Keys == KeysFlat && fold(ref) == fold(c.Label)) {
			return Columns[i], c, true
		}
	}
	return Column{}, Column{}, false
}

func (s *Server) queryRoot() obj {
	api := obj{
		"getFolders":     resolver(s.getFolders),
		"getColumns":     resolver(s.getColumns),
		"getTeams":       resolver(s.getTeams),
		"getUsers":       resolver(s.getUsers),
		"getValuesByIds": resolver(s.getValuesByIDs),
	}
	in := introspection{s.schema}
	return obj{"erpEnrAPI": api, "__schema": resolver(in.schema), "__type": resolver(in.typeByName)}
}

func (s *Server) mutationRoot() obj {
	return obj{"upsertProspect": resolver(s.upsertProspect)}
}

type filter struct {
	col       Column
	op, value string
}

type sortKey struct {
	col  Column
	desc bool
}

func (s *Server) getFolders(args map[string]any) (any, error) {
	s.Knobs.Count("getFolders")
	page, per, perr := pagination(args)
	if perr != nil {
		return nil, perr
	}
	search, _ := str(args["search"])
	q := parseSearch(search)

	var cols, names []Column
	if list, ok := args["columns"].([]any); ok {
		for _, x := range list {
			ref, ok := str(x)
			if !ok {
				continue
			}
			c, n, ok := s.column(ref)
			if !ok {
				return nil, codeErr("BAD_USER_INPUT", "Unknown column: %s", ref)
			}
			cols, names = append(cols, c), append(names, n)
		}
	}
	if cols == nil {
		cols, names = Columns, s.served()
	}
	var filters []filter
	fl, _ := args["filterColumns"].([]any)
	for _, x := range fl {
		m, ok := x.(map[string]any)
		if !ok {
			continue
		}
		ref, _ := str(m["column"])
		op, _ := str(m["operator"])
		val, _ := str(m["value"])
		c, _, ok := s.column(ref)
		if !ok {
			return nil, codeErr("BAD_USER_INPUT", "Unknown column: %s", ref)
		}
		op = strings.ToUpper(strings.TrimSpace(op))
		if !slices.Contains(Operators, op) {
			return nil, codeErr("BAD_USER_INPUT", "Unknown operator: %s (expected one of %s)", op, strings.Join(Operators, ", "))
		}
		filters = append(filters, filter{c, op, val})
	}
	var sorts []sortKey
	sl, _ := args["sortBy"].([]any)
	for _, x := range sl {
		m, ok := x.(map[string]any)
		if !ok {
			continue
		}
		ref, _ := str(m["column"])
		c, _, ok := s.column(ref)
		if !ok {
			return nil, codeErr("BAD_USER_INPUT", "Unknown column: %s", ref)
		}
		dir, _ := str(m["direction"])
		switch strings.ToLower(dir) {
		case "", "asc":
			sorts = append(sorts, sortKey{c, false})
		case "desc":
			sorts = append(sorts, sortKey{c, true})
		default:
			return nil, codeErr("BAD_USER_INPUT", "Invalid sort direction: %s (expected asc or desc)", dir)
		}
	}

	var hits []*Folder
	for i := range s.data.folders {
		f := &s.data.folders[i]
		if !q.empty() && !q.match(f.Values[ColClient]) {
			continue
		}
		ok := true
		for _, fl := range filters {
			cell, present := f.Values[fl.col.Key]
			if !matchFilter(cell, present, fl.op, fl.value) {
				ok = false
				break
			}
		}
		if ok {
			hits = append(hits, f)
		}
	}
	slices.SortStableFunc(hits, func(a, b *Folder) int {
		for _, k := range sorts {
			c := compareValues(a.Values[k.col.Key], b.Values[k.col.Key])
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	lo, hi := window(len(hits), page, per)
	results := make([]any, 0, hi-lo)
	for _, f := range hits[lo:hi] {
		cells := make([]any, 0, len(cols))
		for i, c := range cols {
			var v any
			if x, ok := f.Values[c.Key]; ok {
				v = x
			}
			cells = append(cells, obj{"id": c.ID, "name": names[i].Label, "value": v})
		}
		results = append(results, obj{"id": f.ID, "columns": cells})
	}
	return obj{"totalCount": int64(len(hits)), "results": results}, nil
}

func (s *Server) getColumns(args map[string]any) (any, error) {
	s.Knobs.Count("getColumns")
	page, per, perr := pagination(args)
	if perr != nil {
		return nil, perr
	}
	lo, hi := window(len(Columns), page, per)
	out := make([]any, 0, hi-lo)
	for _, c := range s.served()[lo:hi] {
		out = append(out, obj{"id": c.ID, "label": c.Label})
	}
	return out, nil
}

func (s *Server) getTeams(map[string]any) (any, error) {
	s.Knobs.Count("getTeams")
	out := make([]any, 0, len(s.data.teams))
	for _, t := range s.data.teams {
		out = append(out, obj{"id": t.ID, "name": t.Name, "description": t.Description, "color": t.Color})
	}
	return out, nil
}

func (s *Server) getUsers(args map[string]any) (any, error) {
	s.Knobs.Count("getUsers")
	team, filtered := str(args["teamId"])
	if filtered && !slices.ContainsFunc(s.data.teams, func(t Team) bool { return t.ID == team }) {
		return nil, codeErr("NOT_FOUND", "Team not found: %s", team)
	}
	out := []any{}
	for _, u := range s.data.users {
		if !u.Active || (filtered && u.TeamID != team) {
			continue
		}
		out = append(out, obj{"id": u.ID, "firstName": u.FirstName, "lastName": u.LastName, "email": u.Email})
	}
	return out, nil
}

func (s *Server) getValuesByIDs(args map[string]any) (any, error) {
	s.Knobs.Count("getValuesByIds")
	ids, _ := args["ids"].([]any)
	out := make([]any, 0, len(ids))
	for _, x := range ids {
		id, _ := str(x)
		i, ok := s.data.byFolder[id]
		if !ok {
			out = append(out, itemError{codeErr("NOT_FOUND", "Folder not found: %s", id)})
			continue
		}
		f := s.data.folders[i]
		vals := []any{}
		for i, c := range s.served() {
			if v, ok := f.Values[Columns[i].Key]; ok {
				vals = append(vals, obj{"id": c.ID, "name": c.Key, "label": c.Label, "value": v})
			}
		}
		out = append(out, obj{"id": f.ID, "values": vals})
	}
	return out, nil
}

var prospectFields = []string{"firstName", "lastName", "address", "postalCode", "email", "phone", "type",
	"siren", "puissanceKc", "prixHT", "gps", "commercialNote"}

func checkGPS(v any) *gqlerror.Error {
	list, _ := v.([]any)
	bad := codeErr("BAD_USER_INPUT", "gps doit contenir deux coordonnées décimales : latitude, longitude")
	if len(list) != 2 {
		return bad
	}
	for i, x := range list {
		s, _ := str(x)
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(f) > [2]float64{90, 180}[i] {
			return bad
		}
	}
	return nil
}

func (s *Server) upsertProspect(args map[string]any) (any, error) {
	s.Knobs.Count("upsertProspect")
	if g, ok := args["gps"]; ok && g != nil {
		if err := checkGPS(g); err != nil {
			return nil, err
		}
	}
	var p *Prospect
	if id, ok := str(args["id"]); ok {
		p = s.data.prospects[id]
		if p == nil {
			return nil, codeErr("NOT_FOUND", "Prospect introuvable : %s", id)
		}
		if p.Converted {
			return nil, codeErr("FORBIDDEN", "%s", ConvertedMessage)
		}
	} else {
		p = &Prospect{ID: cuid(s.data.rng), Fields: map[string]any{}}
		s.data.prospects[p.ID] = p
		s.data.order = append(s.data.order, p.ID)
	}
	for _, name := range prospectFields {
		v, ok := args[name]
		if !ok {
			continue
		}
		if v == nil {
			delete(p.Fields, name)
			continue
		}
		if name == "puissanceKc" {
			v, _ = toFloat(v)
		}
		p.Fields[name] = v
	}
	out := obj{"id": p.ID}
	for _, name := range prospectFields {
		out[name] = p.Fields[name]
	}
	return out, nil
}
