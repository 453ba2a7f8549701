package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/generated"
	"switchboard/graph/cache"
	"switchboard/graph/errs"
	"switchboard/graph/flatlists"
	"switchboard/graph/loaders"
	"switchboard/graph/shops"
	"switchboard/graph/vehicles"
	"switchboard/resolvers"
	"switchboard/sources/mmp"
	mmpfake "switchboard/sources/mmp/fake"
	"switchboard/sources/shop"
	shopfake "switchboard/sources/shop/fake"
)

// TestFlatListsAsGqlgen: lists written by graph/flatlists are byte for
// byte what gqlgen writes, whatever the selection (aliases, fragments,
// @skip/@include, __typename, a field it leaves to gqlgen), under both
// readings of the Shop document.
func TestFlatListsAsGqlgen(t *testing.T) {
	for _, alternate := range []bool{false, true} {
		t.Run(fmt.Sprintf("alternate reading %v", alternate), func(t *testing.T) { flatListsAsGqlgen(t, alternate) })
	}
}

func flatListsAsGqlgen(t *testing.T, alternate bool) {
	r, _ := shopResolver(t, alternate)
	plain, flat := rawServer(r, false), rawServer(r, true)
	key := firstInterfaceKey(t, plain)
	cases := []struct {
		name, query string
		vars        map[string]any
	}{
		{"every leaf", `{ interfaces { key prestations { code reference orderedAt cancelled cancelledAt formUrl __typename } } }`, nil},
		{"aliases and fragments", `{ interfaces { prestations { c: code code ...F ... on OrderedPrestation { cancelled code } } } } fragment F on OrderedPrestation { formUrl code }`, nil},
		{"skip", `query ($s: Boolean!) { interfaces { prestations { code reference @skip(if: $s) orderedAt @include(if: $s) } } }`, map[string]any{"s": true}},
		{"include", `query ($s: Boolean!) { interfaces { prestations { code reference @skip(if: $s) orderedAt @include(if: $s) } } }`, map[string]any{"s": false}},
		{"resolver field", `{ interfaces { prestations { code prestation { code setup } } } }`, nil},
		{"one interface", `query ($k: ID!) { interface(key: $k) { prestations { code cancelled cancelledAt } } }`, map[string]any{"k": key}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, got := post(t, plain, tc.query, tc.vars), post(t, flat, tc.query, tc.vars)
			if !bytes.Equal(want, got) {
				t.Errorf("flat lists wrote\n%.600s\ngqlgen wrote\n%.600s", got, want)
			}
			if bytes.Contains(want, []byte(`"errors"`)) || !bytes.Contains(want, []byte(`"prestations":[{`)) {
				t.Errorf("no prestations to compare: %.300s", want)
			}
		})
	}
}

// TestFlatListsAsGqlgenMMP: the vehicle's customers, invoices and
// forecasts, under both readings of the MMP document.
func TestFlatListsAsGqlgenMMP(t *testing.T) {
	const every = `{ vehicle(plate: $p) { customers { __typename id source dmsId companyName civility firstName lastName email phone mobile address postalCode city }
		invoices { id dmsId workshopNationalId customerDmsId vin date amount mileage raw }
		forecasts { jobId label lastJobDate mileageBasedDate periodBasedDate checkBasedDate dueDate } } }`
	queries := []struct{ name, query string }{
		{"every leaf", "query ($p: String!) " + every},
		{"the W2 workload", `query ($p: String!) { vehicle(plate: $p) { plate vin customers { lastName mobile } invoices { date amount } forecasts { label lastJobDate } } }`},
		{"a field left to gqlgen", `query ($p: String!) { vehicle(plate: $p) { customers { lastName consents { email } } invoices { amount lines { jobLabel } } forecasts { label details } } }`},
	}
	for _, reading := range []mmpfake.Reading{mmpfake.DocumentReading, mmpfake.OtherReading} {
		f := mmpfake.New(mmpfake.Options{ClientID: "cid", ClientSecret: "csecret", Username: "u@example.com", Password: "pw",
			Version: "v2", Network: "trif", Seed: 7, Vehicles: 5, Reading: reading})
		up := httptest.NewServer(f)
		t.Cleanup(up.Close)
		c, err := mmp.New(mmp.Config{BaseURL: up.URL, Version: "v2", Network: "trif", ClientID: "cid", ClientSecret: "csecret",
			Username: "u@example.com", Password: "pw"})
		if err != nil {
			t.Fatal(err)
		}
		r := &resolvers.Resolver{Vehicles: vehicles.New(c, cache.New(cache.NewMemory(1000), cache.Options{}))}
		plain, flat := rawServer(r, false), rawServer(r, true)
		for _, q := range queries {
			for _, plate := range f.Plates() {
				want, got := post(t, plain, q.query, map[string]any{"p": plate}), post(t, flat, q.query, map[string]any{"p": plate})
				if !bytes.Equal(want, got) {
					t.Errorf("reading %v, %s, %s: flat lists wrote\n%.600s\ngqlgen wrote\n%.600s", reading, q.name, plate, got, want)
				}
				if bytes.Contains(want, []byte(`"errors"`)) {
					t.Errorf("reading %v, %s, %s: %.300s", reading, q.name, plate, want)
				}
				if plate == "AB123CD" && !bytes.Contains(want, []byte(`"invoices":[{`)) {
					t.Errorf("reading %v, %s: no invoices to compare: %.300s", reading, q.name, want)
				}
			}
		}
	}
}

// TestFlatListsKeepErrors: a failed Shop call still answers null beside an
// error naming the source, as gqlgen does (errors come in any order, and
// their messages follow the circuit breaker: their paths and codes count).
func TestFlatListsKeepErrors(t *testing.T) {
	r, f := shopResolver(t, false)
	plain, flat := rawServer(r, false), rawServer(r, true)
	f.Knobs.SetDownPaths("/prestations")
	const q = `{ interfaces { key prestations { code } } }`
	type answer struct {
		Data   json.RawMessage
		Errors []struct {
			Path       []any
			Extensions struct{ Code, Source string }
		}
	}
	summary := func(h http.Handler) (string, []string) {
		var a answer
		if err := json.Unmarshal(post(t, h, q, nil), &a); err != nil {
			t.Fatal(err)
		}
		var errs []string
		for _, e := range a.Errors {
			errs = append(errs, fmt.Sprint(e.Path, e.Extensions.Code, e.Extensions.Source))
		}
		slices.Sort(errs)
		return string(a.Data), errs
	}
	wantData, wantErrs := summary(plain)
	gotData, gotErrs := summary(flat)
	if gotData != wantData || !slices.Equal(gotErrs, wantErrs) {
		t.Errorf("flat lists answered\n%.300s %v\ngqlgen answered\n%.300s %v", gotData, gotErrs, wantData, wantErrs)
	}
	if !strings.Contains(gotData, `"prestations":null`) || len(gotErrs) == 0 || !strings.Contains(gotErrs[0], "shop") {
		t.Errorf("no failed prestations: %.300s %v", gotData, gotErrs)
	}
}

// TestFlatListsFieldsAreLeaves: every field graph/flatlists may write is a
// scalar or enum of its object, with no directive that would have to run.
func TestFlatListsFieldsAreLeaves(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &resolvers.Resolver{}}).Schema()
	for _, o := range resolvers.FlatLists {
		name, fields := o.Leaves()
		def := schema.Types[name]
		if def == nil || def.Kind != ast.Object {
			t.Errorf("%s is not an object of the schema", name)
			continue
		}
		for _, fn := range fields {
			fd := def.Fields.ForName(fn)
			if fd == nil {
				t.Errorf("%s.%s is not in the schema", name, fn)
				continue
			}
			if k := schema.Types[fd.Type.Name()].Kind; fd.Type.Elem != nil || (k != ast.Scalar && k != ast.Enum) {
				t.Errorf("%s.%s is %s, not a leaf", name, fn, fd.Type)
			}
			if len(fd.Directives) > 0 {
				t.Errorf("%s.%s has directives", name, fn)
			}
		}
	}
}

func shopResolver(t *testing.T, alternate bool) (*resolvers.Resolver, *shopfake.Server) {
	t.Helper()
	f := shopfake.New(shopfake.Options{Seed: 7, Interfaces: 30, Alternate: alternate})
	up := httptest.NewServer(f)
	t.Cleanup(up.Close)
	c, err := shop.New(shop.Config{BaseURL: up.URL, ClientID: shopfake.DefaultClientID, ClientSecret: shopfake.DefaultClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	return &resolvers.Resolver{Shops: shops.New(c, cache.New(cache.NewMemory(1000), cache.Options{}))}, f
}

func rawServer(r *resolvers.Resolver, flat bool) http.Handler {
	allow := func(ctx context.Context, _ any, next graphql.Resolver, _ string) (any, error) { return next(ctx) }
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: r, Directives: generated.DirectiveRoot{Scope: allow}}))
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(errs.Presenter)
	if flat {
		srv.Use(flatlists.Extension{Objects: resolvers.FlatLists})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		srv.ServeHTTP(w, req.WithContext(loaders.WithScope(req.Context())))
	})
}

func post(t *testing.T, h http.Handler, query string, vars map[string]any) []byte {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.Bytes()
}

func firstInterfaceKey(t *testing.T, h http.Handler) string {
	t.Helper()
	var resp struct {
		Data struct{ Interfaces []struct{ Key string } }
	}
	if err := json.Unmarshal(post(t, h, `{ interfaces { key } }`, nil), &resp); err != nil || len(resp.Data.Interfaces) == 0 {
		t.Fatalf("interfaces: %v %+v", err, resp)
	}
	return resp.Data.Interfaces[0].Key
}
