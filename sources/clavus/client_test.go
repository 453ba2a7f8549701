package clavus_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/sources/clavus"
	"switchboard/sources/clavus/fake"
	"switchboard/sources/upstream"
	"switchboard/sources/upstream/upstreamtest"
)

func setup(t *testing.T) (*clavus.Client, *fake.Server) {
	t.Helper()
	f := fake.New(fake.Options{APIKey: "test-key", Seed: 42})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := clavus.New(clavus.Config{URL: srv.URL + "/api/external/graphql", APIKey: "test-key", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c, f
}

func wantKind(t *testing.T, err error, kind upstream.Kind) *upstream.Error {
	t.Helper()
	return upstreamtest.WantKind(t, err, "clavus", kind)
}

func TestNew(t *testing.T) {
	for _, cfg := range []clavus.Config{{}, {URL: "ftp://x", APIKey: "k"}, {URL: "http://x"}, {URL: "/relative", APIKey: "k"}} {
		if _, err := clavus.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

// expected computes, from the fake's own data, which folders match pred in
// storage order.
func expected(f *fake.Server, pred func(fake.Folder) bool) []fake.Folder {
	var out []fake.Folder
	for _, x := range f.Folders() {
		if pred(x) {
			out = append(out, x)
		}
	}
	return out
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func TestFolders(t *testing.T) {
	c, f := setup(t)
	ctx := context.Background()
	all := f.Folders()
	someUser := all[0].Values[fake.ColCommercial]
	tests := []struct {
		name  string
		q     clavus.FolderQuery
		want  func(fake.Folder) bool // nil: every folder
		check func(t *testing.T, p *clavus.FolderPage)
	}{
		{name: "first page", q: clavus.FolderQuery{Page: 1, PerPage: 25},
			check: func(t *testing.T, p *clavus.FolderPage) {
				if len(p.Results) != 25 || p.Results[0].ID != all[0].ID || len(p.Results[0].Columns) != len(fake.Columns) {
					t.Errorf("got %d results, first %+v", len(p.Results), p.Results[0])
				}
			}},
		{name: "defaults", q: clavus.FolderQuery{},
			check: func(t *testing.T, p *clavus.FolderPage) {
				if len(p.Results) != clavus.DefaultPerPage {
					t.Errorf("got %d results", len(p.Results))
				}
			}},
		{name: "second page", q: clavus.FolderQuery{Page: 2, PerPage: 25},
			check: func(t *testing.T, p *clavus.FolderPage) {
				if p.Results[0].ID != all[25].ID {
					t.Errorf("page 2 starts at %s, want %s", p.Results[0].ID, all[25].ID)
				}
			}},
		{name: "last partial page", q: clavus.FolderQuery{Page: 10, PerPage: 200},
			check: func(t *testing.T, p *clavus.FolderPage) {
				if len(p.Results) != 200 {
					t.Errorf("got %d", len(p.Results))
				}
			}},
		{name: "past the end", q: clavus.FolderQuery{Page: 11, PerPage: 200},
			check: func(t *testing.T, p *clavus.FolderPage) {
				if len(p.Results) != 0 || p.TotalCount != 2000 {
					t.Errorf("got %d, total %d", len(p.Results), p.TotalCount)
				}
			}},
		{name: "columns by key, id and label", q: clavus.FolderQuery{PerPage: 5, Columns: []string{"telephone", "col4", "nom du client"}},
			check: func(t *testing.T, p *clavus.FolderPage) {
				cols := p.Results[0].Columns
				if len(cols) != 3 || cols[0].ID != "col5" || cols[1].Name != "Commercial" || cols[2].Name != "Nom du client" {
					t.Errorf("columns = %+v", cols)
				}
				if v, _ := p.Results[0].Value("Téléphone"); v != all[0].Values[fake.ColPhone] {
					t.Errorf("phone = %q", v)
				}
			}},
		{name: "filter = commercial", q: clavus.FolderQuery{PerPage: 200, Filters: []clavus.Filter{{"commercial", "=", someUser}}},
			want: func(x fake.Folder) bool { return x.Values[fake.ColCommercial] == someUser }},
		{name: "filter < power", q: clavus.FolderQuery{PerPage: 200, Filters: []clavus.Filter{{"puissanceKc", "<", "6"}}},
			want: func(x fake.Folder) bool { return num(x.Values[fake.ColPower]) < 6 }},
		{name: "filter > price", q: clavus.FolderQuery{PerPage: 200, Filters: []clavus.Filter{{"Prix HT", ">", "100000"}}},
			want: func(x fake.Folder) bool { return num(x.Values[fake.ColPrice]) > 100000 }},
		{name: "filter <= and >= dates", q: clavus.FolderQuery{PerPage: 200, Filters: []clavus.Filter{{"dateCreation", ">=", "2022-03-01"}, {"col2", "<=", "2022-03-31"}}},
			want: func(x fake.Folder) bool {
				d := x.Values[fake.ColCreated]
				return d >= "2022-03-01" && d <= "2022-03-31"
			}},
		{name: "filter IN status", q: clavus.FolderQuery{PerPage: 200, Filters: []clavus.Filter{{"statut", "in", "Signé,Raccordé"}}},
			want: func(x fake.Folder) bool {
				return x.Values[fake.ColStatus] == "Signé" || x.Values[fake.ColStatus] == "Raccordé"
			}},
		{name: "filter CONTAINS city", q: clavus.FolderQuery{PerPage: 200, Filters: []clavus.Filter{{"ville", "CONTAINS", "TOUL"}}},
			want: func(x fake.Folder) bool { return x.Values[fake.ColCity] == "Toulouse" }},
		{name: "filter on phone", q: clavus.FolderQuery{Filters: []clavus.Filter{{"telephone", "=", all[7].Values[fake.ColPhone]}}},
			want: func(x fake.Folder) bool { return x.ID == all[7].ID }},
		{name: "search plain words", q: clavus.FolderQuery{PerPage: 200, Search: "jea dup"},
			want: func(x fake.Folder) bool {
				n := strings.ToLower(x.Values[fake.ColClient])
				return slices.ContainsFunc(strings.FieldsFunc(n, isSep), func(w string) bool { return strings.HasPrefix(w, "jea") }) &&
					slices.ContainsFunc(strings.FieldsFunc(n, isSep), func(w string) bool { return strings.HasPrefix(w, "dup") })
			}},
		{name: "search phrase with soft separator", q: clavus.FolderQuery{PerPage: 200, Search: `"saint jean"`},
			want: func(x fake.Folder) bool { return strings.Contains(x.Values[fake.ColClient], "Saint-Jean") }},
		{name: "search phrase split by hard separator", q: clavus.FolderQuery{PerPage: 200, Search: `"sarl.sud"`},
			want: func(x fake.Folder) bool { return x.Values[fake.ColClient] == "SARL Soleil du Sud" }},
		{name: "sort desc by price", q: clavus.FolderQuery{PerPage: 50, Sort: []clavus.Sort{{Column: "prixHT", Desc: true}}},
			check: func(t *testing.T, p *clavus.FolderPage) {
				maxPrice := 0.0
				for _, x := range all {
					maxPrice = max(maxPrice, num(x.Values[fake.ColPrice]))
				}
				prev := maxPrice
				for _, r := range p.Results {
					v, _ := r.Value("Prix HT")
					if num(v) > prev {
						t.Fatalf("not descending: %s after %v", v, prev)
					}
					prev = num(v)
				}
				if first, _ := p.Results[0].Value("col10"); num(first) != maxPrice {
					t.Errorf("first = %s, max %v", first, maxPrice)
				}
			}},
		{name: "sort asc status then desc date", q: clavus.FolderQuery{PerPage: 200, Sort: []clavus.Sort{{Column: "statut"}, {Column: "dateCreation", Desc: true}}},
			check: func(t *testing.T, p *clavus.FolderPage) {
				for i := 1; i < len(p.Results); i++ {
					s0, _ := p.Results[i-1].Value("col3")
					s1, _ := p.Results[i].Value("col3")
					d0, _ := p.Results[i-1].Value("col2")
					d1, _ := p.Results[i].Value("col2")
					if s0 > s1 || (s0 == s1 && d0 < d1) {
						t.Fatalf("order broken at %d: %s/%s then %s/%s", i, s0, d0, s1, d1)
					}
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := c.Folders(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, p)
			}
			if tt.want == nil {
				if p.TotalCount != 2000 {
					t.Errorf("total = %d", p.TotalCount)
				}
				return
			}
			exp := expected(f, tt.want)
			if len(exp) == 0 {
				t.Fatal("test data has no match: the case tests nothing")
			}
			if p.TotalCount != len(exp) {
				t.Errorf("total = %d, want %d", p.TotalCount, len(exp))
			}
			for i, r := range p.Results {
				if i < len(exp) && r.ID != exp[i].ID {
					t.Fatalf("result %d = %s, want %s", i, r.ID, exp[i].ID)
				}
			}
		})
	}
	if n := f.Knobs.Calls("getFolders"); n != len(tests) {
		t.Errorf("getFolders calls = %d, want %d", n, len(tests))
	}
}

func isSep(r rune) bool { return r == ' ' || r == '-' }

func TestSearchPhraseEquivalence(t *testing.T) {
	c, _ := setup(t)
	ctx := context.Background()
	pairs := [][2]string{
		{`"Octavia.Butler"`, `"Octavia" "Butler"`},
		{`"jean-pierre"`, `"Jean Pierre"`},
		{`"anne:sophie"`, `"anne,sophie"`},
	}
	for _, p := range pairs {
		a, err := c.Folders(ctx, clavus.FolderQuery{PerPage: 200, Search: p[0]})
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.Folders(ctx, clavus.FolderQuery{PerPage: 200, Search: p[1]})
		if err != nil {
			t.Fatal(err)
		}
		if a.TotalCount != b.TotalCount || a.TotalCount == 0 {
			t.Errorf("%s: %d results, %s: %d", p[0], a.TotalCount, p[1], b.TotalCount)
		}
	}
}

func TestFolderUpstreamRefusal(t *testing.T) {
	c, _ := setup(t)
	_, err := c.Folders(context.Background(), clavus.FolderQuery{Filters: []clavus.Filter{{"nope", "=", "x"}}})
	ue := wantKind(t, err, upstream.KindRejected)
	if ue.Message != "Unknown column: nope" || ue.Operation != "GetFolders" {
		t.Errorf("error = %+v", ue)
	}
}

func TestColumns(t *testing.T) {
	c, _ := setup(t)
	cols, err := c.Columns(context.Background(), 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []clavus.ColumnDef{{"col1", "Nom du client"}, {"col2", "Date de création"}, {"col3", "Statut du dossier"}}
	if !slices.Equal(cols, want) {
		t.Errorf("columns = %+v", cols)
	}
	cols, err = c.Columns(context.Background(), 2, 10)
	if err != nil || len(cols) != len(fake.Columns)-10 {
		t.Errorf("page 2 = %+v, %v", cols, err)
	}
}

func TestTeamsAndUsers(t *testing.T) {
	c, f := setup(t)
	ctx := context.Background()
	teams, err := c.Teams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(teams) < 4 || teams[0] != (clavus.Team{ID: "1", Name: "Équipe A", Description: "La première équipe", Color: "#ff0000"}) {
		t.Fatalf("teams = %+v", teams)
	}
	total := 0
	for _, team := range teams {
		users, err := c.Users(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) < 3 {
			t.Errorf("team %s has %d users", team.ID, len(users))
		}
		for _, u := range users {
			if u.ID == "" || u.FirstName == "" || u.LastName == "" || !strings.Contains(u.Email, "@") {
				t.Errorf("user %+v", u)
			}
		}
		total += len(users)
	}
	everyone, err := c.Users(ctx, "")
	if err != nil || len(everyone) != total {
		t.Errorf("all users: %d (%v), want %d", len(everyone), err, total)
	}
	active := 0
	for _, u := range f.Users() {
		if u.Active {
			active++
		}
	}
	if total != active {
		t.Errorf("listed %d users, %d are active", total, active)
	}
	_, err = c.Users(ctx, "999")
	wantKind(t, err, upstream.KindNotFound)
}

// TestUsersOfTeamsWithoutAliases: a Clavus refusing aliases is asked per
// team, and not asked the aliased document again; a team Clavus does not
// know (its error nulls every aliased answer) costs the others nothing.
func TestUsersOfTeamsWithoutAliases(t *testing.T) {
	ctx := context.Background()
	for _, noAliases := range []bool{false, true} {
		f := fake.New(fake.Options{APIKey: "test-key", Seed: 42, NoAliases: noAliases})
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		c, err := clavus.New(clavus.Config{URL: srv.URL, APIKey: "test-key", Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		calls := func() map[string]int {
			out := map[string]int{}
			for _, r := range f.Received() {
				out[r.OperationName]++
			}
			return out
		}
		for round := range 2 {
			got, err := c.UsersOfTeams(ctx, []string{"1", "2"})
			if err != nil {
				t.Fatal(err)
			}
			if len(got["1"].Users) == 0 || got["1"].Err != nil || len(got["2"].Users) == 0 || got["2"].Err != nil {
				t.Fatalf("noAliases=%v: %+v", noAliases, got)
			}
			want := map[string]int{"IntrospectionQuery": 1, "GetUsersOfTeams": round + 1}
			if noAliases {
				want = map[string]int{"IntrospectionQuery": 1, "GetUsersOfTeams": 1, "GetUsers": 2 * (round + 1)}
			}
			if got := calls(); !maps.Equal(got, want) {
				t.Fatalf("noAliases=%v round %d: calls %v, want %v", noAliases, round, got, want)
			}
		}
		got, err := c.UsersOfTeams(ctx, []string{"1", "999"})
		if err != nil || len(got["1"].Users) == 0 || got["1"].Err != nil {
			t.Fatalf("noAliases=%v, with an unknown team: %+v %v", noAliases, got, err)
		}
		wantKind(t, got["999"].Err, upstream.KindNotFound)
	}
}

// TestFolderPages: the pages of one aliased request are those of one
// getFolders call per query; a query refused before the call, or by
// Clavus, fails alone.
func TestFolderPages(t *testing.T) {
	ctx := context.Background()
	for _, noAliases := range []bool{false, true} {
		f := fake.New(fake.Options{APIKey: "test-key", Seed: 42, NoAliases: noAliases, PhoneForms: true})
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		c, err := clavus.New(clavus.Config{URL: srv.URL, APIKey: "test-key", Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		qs := []clavus.FolderQuery{
			{PerPage: 5, Filters: []clavus.Filter{{Column: "telephone", Operator: "CONTAINS", Value: "6"}}, Sort: []clavus.Sort{{Column: "dateCreation", Desc: true}}},
			{PerPage: 3, Search: "a", Columns: []string{"client.nom", "telephone"}},
			{PerPage: 500},
			{Page: 2, PerPage: 4},
		}
		pages, errs := c.FolderPages(ctx, qs)
		wantKind(t, errs[2], upstream.KindBadInput)
		for _, i := range []int{0, 1, 3} {
			want, err := c.Folders(ctx, qs[i])
			if err != nil || errs[i] != nil || !reflect.DeepEqual(pages[i], want) {
				t.Fatalf("noAliases=%v query %d: %+v %v, want %+v %v", noAliases, i, pages[i], errs[i], want, err)
			}
		}
		pages, errs = c.FolderPages(ctx, []clavus.FolderQuery{{PerPage: 2}, {PerPage: 2, Sort: []clavus.Sort{{Column: "nope"}}}})
		if pages[0] == nil || errs[0] != nil || len(pages[0].Results) != 2 {
			t.Fatalf("noAliases=%v: the valid query failed beside an unknown column: %v", noAliases, errs[0])
		}
		wantKind(t, errs[1], upstream.KindRejected)
	}
}

func TestValuesByIDs(t *testing.T) {
	c, f := setup(t)
	ctx := context.Background()
	all := f.Folders()
	vals, err := c.ValuesByIDs(ctx, []string{all[3].ID, all[4].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 2 {
		t.Fatalf("got %d folders", len(vals))
	}
	var phone string
	for _, v := range vals[all[3].ID] {
		if v.Name == "telephone" {
			phone = v.Value
		}
		if v.Label == "" || v.ID == "" {
			t.Errorf("value %+v", v)
		}
	}
	if phone != all[3].Values[fake.ColPhone] {
		t.Errorf("phone = %q", phone)
	}

	vals, err = c.ValuesByIDs(ctx, []string{all[5].ID, "cunknown"})
	var pe *clavus.PartialError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *PartialError", err)
	}
	if pe.Err.Kind != upstream.KindNotFound || !strings.Contains(pe.Err.Message, "cunknown") {
		t.Errorf("partial error = %+v", pe.Err)
	}
	if _, ok := upstream.AsError(err); !ok {
		t.Error("PartialError does not unwrap to *upstream.Error")
	}
	if len(vals) != 1 || len(vals[all[5].ID]) == 0 {
		t.Errorf("partial data = %v", vals)
	}
	empty, err := c.ValuesByIDs(ctx, nil)
	if err != nil || len(empty) != 0 {
		t.Errorf("no ids: %v %v", empty, err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestUpsertProspect(t *testing.T) {
	c, f := setup(t)
	ctx := context.Background()
	typ := clavus.ProspectMoral
	created, err := c.UpsertProspect(ctx, clavus.ProspectInput{
		FirstName: ptr("first name"), LastName: ptr("last name"), Address: ptr("15 Fb saint-jean"),
		PostalCode: ptr("09100"), Email: ptr("exempl@clavus.io"), Phone: ptr("06 66 66 66 66"), Type: &typ,
		SIREN: ptr("732 829 320"), PowerKWc: ptr(300.0), PriceHT: ptr("23.00"), GPS: &clavus.GPS{Lat: "0.2993", Lng: "1.2020"},
		CommercialNote: ptr("Attention au ..."),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := clavus.Prospect{ID: created.ID, FirstName: "first name", LastName: "last name", Address: "15 Fb saint-jean",
		PostalCode: "09100", Email: "exempl@clavus.io", Phone: "33666666666", Type: clavus.ProspectMoral, SIREN: "732829320",
		PriceHT: "23.00", CommercialNote: "Attention au ..."}
	got := *created
	if got.PowerKWc == nil || *got.PowerKWc != 300 || got.GPS == nil || *got.GPS != (clavus.GPS{Lat: "0.2993", Lng: "1.2020"}) {
		t.Errorf("power/gps = %v %v", got.PowerKWc, got.GPS)
	}
	got.PowerKWc, got.GPS = nil, nil
	if got != want {
		t.Errorf("created = %+v\nwant      %+v", got, want)
	}
	stored, ok := f.Prospect(created.ID)
	if !ok || stored.Fields["phone"] != "0666666666" || stored.Fields["type"] != "MORAL" {
		t.Errorf("stored = %+v", stored)
	}

	updated, err := c.UpsertProspect(ctx, clavus.ProspectInput{ID: created.ID, FirstName: ptr("updated")})
	if err != nil {
		t.Fatal(err)
	}
	if updated.FirstName != "updated" || updated.LastName != "last name" || updated.SIREN != "732829320" {
		t.Errorf("updated = %+v", updated)
	}
	last := f.Received()[len(f.Received())-1]
	if len(last.Variables) != 2 {
		t.Errorf("update sent variables %v, want only id and firstName", last.Variables)
	}

	f.SetConverted(created.ID, true)
	_, err = c.UpsertProspect(ctx, clavus.ProspectInput{ID: created.ID, FirstName: ptr("again")})
	ue := wantKind(t, err, upstream.KindRejected)
	if ue.Message != fake.ConvertedMessage || !errors.Is(err, clavus.ErrProspectConverted) {
		t.Errorf("converted: %+v", ue)
	}
	if p, _ := f.Prospect(created.ID); p.Fields["firstName"] != "updated" {
		t.Errorf("converted prospect changed: %v", p.Fields)
	}

	_, err = c.UpsertProspect(ctx, clavus.ProspectInput{ID: "cnothere", FirstName: ptr("x")})
	wantKind(t, err, upstream.KindNotFound)
	if errors.Is(err, clavus.ErrProspectConverted) {
		t.Error("unknown prospect taken for a converted one")
	}
}

func TestInputChecks(t *testing.T) {
	c, f := setup(t)
	ctx := context.Background()
	bad := clavus.ProspectType("ALIEN")
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"perPage too big", func() error { _, err := c.Folders(ctx, clavus.FolderQuery{PerPage: 201}); return err }, "perPage"},
		{"perPage negative", func() error { _, err := c.Folders(ctx, clavus.FolderQuery{PerPage: -1}); return err }, "perPage"},
		{"page negative", func() error { _, err := c.Folders(ctx, clavus.FolderQuery{Page: -1}); return err }, "page"},
		{"columns perPage", func() error { _, err := c.Columns(ctx, 1, 500); return err }, "perPage"},
		{"operator", func() error {
			_, err := c.Folders(ctx, clavus.FolderQuery{Filters: []clavus.Filter{{"statut", "LIKE", "x"}}})
			return err
		}, "filters.operator"},
		{"filter column", func() error {
			_, err := c.Folders(ctx, clavus.FolderQuery{Filters: []clavus.Filter{{"", "=", "x"}}})
			return err
		}, "filters.column"},
		{"sort column", func() error { _, err := c.Folders(ctx, clavus.FolderQuery{Sort: []clavus.Sort{{}}}); return err }, "sort.column"},
		{"empty column", func() error { _, err := c.Folders(ctx, clavus.FolderQuery{Columns: []string{" "}}); return err }, "columns"},
		{"empty id", func() error { _, err := c.ValuesByIDs(ctx, []string{""}); return err }, "ids"},
		{"nothing to write", func() error { _, err := c.UpsertProspect(ctx, clavus.ProspectInput{ID: "x"}); return err }, "input"},
		{"blank id", func() error {
			_, err := c.UpsertProspect(ctx, clavus.ProspectInput{ID: " ", LastName: ptr("x")})
			return err
		}, "id"},
		{"email", func() error {
			_, err := c.UpsertProspect(ctx, clavus.ProspectInput{Email: ptr("not-an-email")})
			return err
		}, "email"},
		{"email display name", func() error {
			_, err := c.UpsertProspect(ctx, clavus.ProspectInput{Email: ptr("Jean <j@x.fr>")})
			return err
		}, "email"},
		{"email no domain dot", func() error {
			_, err := c.UpsertProspect(ctx, clavus.ProspectInput{Email: ptr("j@localhost")})
			return err
		}, "email"},
		{"phone", func() error { _, err := c.UpsertProspect(ctx, clavus.ProspectInput{Phone: ptr("12")}); return err }, "phone"},
		{"siren 13 digits", func() error {
			_, err := c.UpsertProspect(ctx, clavus.ProspectInput{SIREN: ptr("0000000000000")})
			return err
		}, "siren"},
		{"siren letters", func() error {
			_, err := c.UpsertProspect(ctx, clavus.ProspectInput{SIREN: ptr("12345678A")})
			return err
		}, "siren"},
		{"type", func() error { _, err := c.UpsertProspect(ctx, clavus.ProspectInput{Type: &bad}); return err }, "type"},
		{"power", func() error { _, err := c.UpsertProspect(ctx, clavus.ProspectInput{PowerKWc: ptr(-1.0)}); return err }, "powerKWc"},
		{"price", func() error { _, err := c.UpsertProspect(ctx, clavus.ProspectInput{PriceHT: ptr("23,00")}); return err }, "priceHT"},
		{"lat range", func() error {
			_, err := c.UpsertProspect(ctx, clavus.ProspectInput{GPS: &clavus.GPS{Lat: "90.5", Lng: "1"}})
			return err
		}, "gps.lat"},
		{"lng range", func() error {
			_, err := c.UpsertProspect(ctx, clavus.ProspectInput{GPS: &clavus.GPS{Lat: "-90", Lng: "-180.01"}})
			return err
		}, "gps.lng"},
		{"lat not decimal", func() error {
			_, err := c.UpsertProspect(ctx, clavus.ProspectInput{GPS: &clavus.GPS{Lat: "1e2", Lng: "1"}})
			return err
		}, "gps.lat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			wantKind(t, err, upstream.KindBadInput)
			var ie *upstream.InputError
			if !errors.As(err, &ie) || ie.Field != tt.field {
				t.Errorf("err = %v, want field %s", err, tt.field)
			}
		})
	}
	if n := f.Knobs.TotalCalls(); n != 0 {
		t.Errorf("refused input reached the upstream %d times", n)
	}
}

func TestAuthFailure(t *testing.T) {
	_, f := setup(t)
	srv := httptest.NewServer(f)
	defer srv.Close()
	c, err := clavus.New(clavus.Config{URL: srv.URL, APIKey: "wrong-secret"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Teams(context.Background())
	ue := wantKind(t, err, upstream.KindUnauthorized)
	if ue.Status != 401 || ue.Message != "Unauthorized" {
		t.Errorf("error = %+v", ue)
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Error("the key leaked into the error")
	}
	if f.Knobs.TotalCalls() != 0 {
		t.Error("an unauthenticated call was served")
	}
}

// stub answers each request with the next canned response and counts them.
func stub(t *testing.T, answers ...func(w http.ResponseWriter)) (*clavus.Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer k" || r.Method != http.MethodPost {
			t.Errorf("request %s with auth %q", r.Method, r.Header.Get("Authorization"))
		}
		// This Clavus refuses introspection: the operations go as declared.
		if b, _ := io.ReadAll(r.Body); bytes.Contains(b, []byte("IntrospectionQuery")) {
			answer(400, "application/json", `{"errors":[{"message":"introspection is disabled"}]}`)(w)
			return
		}
		i := int(n.Add(1)) - 1
		answers[min(i, len(answers)-1)](w)
	}))
	t.Cleanup(srv.Close)
	c, err := clavus.New(clavus.Config{URL: srv.URL, APIKey: "k", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}

func answer(status int, ctype, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

const teamsJSON = `{"data":{"erpEnrAPI":{"getTeams":[{"id":"1","name":"A","description":null,"color":"#fff"}]}}}`

func TestErrorMapping(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		answers []func(http.ResponseWriter)
		kind    upstream.Kind
		msg     string
		calls   int32
		partial bool
	}{
		{"HTML 503 then success is retried", []func(http.ResponseWriter){answer(503, "text/html", "<html>down</html>"), answer(200, "application/json", teamsJSON)}, -1, "", 2, false},
		{"HTML 503 every time", []func(http.ResponseWriter){answer(503, "text/html", "<html>down</html>")}, upstream.KindUnavailable, "Service Unavailable (HTML error page)", 3, false},
		{"500 GraphQL body", []func(http.ResponseWriter){answer(500, "application/json", `{"errors":[{"message":"db down"}]}`)}, upstream.KindUnavailable, "db down", 3, false},
		{"400 validation", []func(http.ResponseWriter){answer(400, "application/json", `{"errors":[{"message":"Cannot query field","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}`)}, upstream.KindRejected, "Cannot query field", 1, false},
		{"401 plain", []func(http.ResponseWriter){answer(401, "application/json", `{"message":"Invalid API key"}`)}, upstream.KindUnauthorized, "Invalid API key", 1, false},
		{"200 UNAUTHENTICATED", []func(http.ResponseWriter){answer(200, "application/json", `{"data":null,"errors":[{"message":"Unauthorized","extensions":{"code":"UNAUTHENTICATED"}}]}`)}, upstream.KindUnauthorized, "Unauthorized", 1, false},
		{"200 errors no data", []func(http.ResponseWriter){answer(200, "application/json", `{"errors":[{"message":"a"},{"message":"b"}]}`)}, upstream.KindRejected, "a; b", 1, false},
		{"200 internal error", []func(http.ResponseWriter){answer(200, "application/json", `{"data":null,"errors":[{"message":"oops","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)}, upstream.KindUnavailable, "oops", 1, false},
		{"200 partial", []func(http.ResponseWriter){answer(200, "application/json", `{"data":{"erpEnrAPI":{"getTeams":[{"id":"1","name":"A"}]}},"errors":[{"message":"color hidden","path":["erpEnrAPI","getTeams",0,"color"]}]}`)}, upstream.KindRejected, "color hidden", 1, true},
		{"truncated JSON", []func(http.ResponseWriter){answer(200, "application/json", `{"data":{"erpEnrAPI":{"getTe`)}, upstream.KindInvalidResponse, "response is not GraphQL JSON", 1, false},
		{"HTML 200", []func(http.ResponseWriter){answer(200, "text/html", `<html>login</html>`)}, upstream.KindInvalidResponse, "response is not GraphQL JSON", 1, false},
		{"wrong shape", []func(http.ResponseWriter){answer(200, "application/json", `{"data":{"erpEnrAPI":{"getTeams":{"id":1}}}}`)}, upstream.KindInvalidResponse, "unexpected data shape", 1, false},
		{"empty object", []func(http.ResponseWriter){answer(200, "application/json", `{}`)}, upstream.KindInvalidResponse, "response has neither data nor errors", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, n := stub(t, tt.answers...)
			teams, err := c.Teams(ctx)
			if got := n.Load(); got != tt.calls {
				t.Errorf("calls = %d, want %d", got, tt.calls)
			}
			if tt.kind == -1 {
				if err != nil || len(teams) != 1 {
					t.Fatalf("teams = %v, err = %v", teams, err)
				}
				return
			}
			ue := wantKind(t, err, tt.kind)
			if ue.Message != tt.msg || ue.Operation != "GetTeams" {
				t.Errorf("error = %q (op %s), want %q", ue.Message, ue.Operation, tt.msg)
			}
			var pe *clavus.PartialError
			if errors.As(err, &pe) != tt.partial {
				t.Errorf("partial = %v, want %v", !tt.partial, tt.partial)
			}
			if tt.partial && (len(teams) != 1 || teams[0].Name != "A") {
				t.Errorf("partial teams = %+v", teams)
			}
			if !tt.partial && teams != nil {
				t.Errorf("teams = %+v with a failure", teams)
			}
		})
	}
}

func TestMutationNotRetried(t *testing.T) {
	c, n := stub(t, answer(503, "text/html", "<html>down</html>"))
	_, err := c.UpsertProspect(context.Background(), clavus.ProspectInput{LastName: ptr("x")})
	wantKind(t, err, upstream.KindUnavailable)
	if n.Load() != 1 {
		t.Errorf("mutation sent %d times", n.Load())
	}
}

func TestFakeDown(t *testing.T) {
	c, f := setup(t)
	f.Knobs.SetDown(true)
	_, err := c.Teams(context.Background())
	wantKind(t, err, upstream.KindUnavailable)
	f.Knobs.SetDown(false)
	f.Knobs.SetLatency(300 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Teams(ctx)
	wantKind(t, err, upstream.KindTimeout)
}
