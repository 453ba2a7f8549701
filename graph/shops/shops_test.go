package shops_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"switchboard/graph/cache"
	"switchboard/graph/shops"
	"switchboard/sources/shop"
	shopfake "switchboard/sources/shop/fake"
	"switchboard/sources/upstream"
)

func newService(t *testing.T) (*shops.Service, *shopfake.Server) {
	t.Helper()
	s, f, _ := newServiceCache(t)
	return s, f
}

func newServiceCache(t *testing.T) (*shops.Service, *shopfake.Server, *cache.Cache) {
	t.Helper()
	f := shopfake.New(shopfake.Options{Seed: 7})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := shop.New(shop.Config{BaseURL: srv.URL, ClientID: shopfake.DefaultClientID, ClientSecret: shopfake.DefaultClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	ch := cache.New(cache.NewMemory(100), cache.Options{})
	return shops.New(c, ch), f, ch
}

// TestRulesBeforeUpstream: an order that breaks a documented rule is an
// input error naming the codes argument and the rule, and never reaches
// Shop.
func TestRulesBeforeUpstream(t *testing.T) {
	s, f := newService(t)
	ctx := s.WithLoader(context.Background())
	keys, err := s.InterfaceKeys(ctx)
	if err != nil || len(keys) == 0 {
		t.Fatalf("interfaces: %v %v", keys, err)
	}
	f.Knobs.ResetCalls()
	cases := []struct {
		codes []string
		rule  string
	}{
		{nil, shop.RuleEmptyOrder},
		{[]string{"ZZ-NOPE"}, shop.RuleUnknownCode},
		{[]string{"IN-ECO-S"}, shop.RuleNoSetupOnAdd},
	}
	for _, c := range cases {
		_, err := s.AddPrestations(ctx, keys[0], c.codes)
		var ie *upstream.InputError
		if !errors.As(err, &ie) || ie.Rule != c.rule || ie.Field != "codes" {
			t.Errorf("AddPrestations(%v): %v, want rule %s on codes", c.codes, err, c.rule)
		}
	}
	if n := f.Knobs.Calls("add_prestations"); n != 0 {
		t.Errorf("refused orders reached Shop %d times", n)
	}
}

// TestCatalogueCached: the catalogue is fetched once for many reads.
func TestCatalogueCached(t *testing.T) {
	s, f := newService(t)
	ctx := context.Background()
	if cat, err := s.Catalogue(ctx); err != nil || len(cat) == 0 {
		t.Fatalf("catalogue: %d %v", len(cat), err)
	}
	f.Knobs.ResetCalls()
	for range 2 {
		if cat, err := s.Catalogue(ctx); err != nil || len(cat) == 0 {
			t.Fatalf("catalogue: %d %v", len(cat), err)
		}
	}
	if n := f.Knobs.TotalCalls(); n != 0 {
		t.Errorf("%d upstream calls for two cached reads, want 0", n)
	}
}

// TestPrefetchOrderedPrestations: a parent's prefetch serves its children
// the cached lists without calling Shop or the cache again, and leaves a
// list that is not cached to the child, which calls Shop as without it.
func TestPrefetchOrderedPrestations(t *testing.T) {
	s, f, ch := newServiceCache(t)
	keys, err := s.InterfaceKeys(s.WithLoader(context.Background()))
	if err != nil || len(keys) < 2 {
		t.Fatalf("interfaces: %v %v", keys, err)
	}
	warm, cold := keys[0], keys[1]
	want, err := s.OrderedPrestations(s.WithLoader(context.Background()), warm)
	if err != nil {
		t.Fatal(err)
	}
	f.Knobs.ResetCalls()
	ctx := s.WithLoader(context.Background())
	s.PrefetchOrderedPrestations(ctx, []string{warm, cold})
	if n := f.Knobs.TotalCalls(); n != 0 {
		t.Fatalf("the prefetch called Shop %d times", n)
	}
	// From here the cache has nothing: what the child gets, the prefetch gave.
	if err := ch.Invalidate(ctx, shop.Source, "interface_prestations"); err != nil {
		t.Fatal(err)
	}
	got, err := s.OrderedPrestations(ctx, warm)
	if err != nil || len(got) != len(want) || len(got) > 0 && &got[0] != &want[0] {
		t.Errorf("warm list: %v %v, want the cached %v", got, err, want)
	}
	if n := f.Knobs.TotalCalls(); n != 0 {
		t.Errorf("a prefetched list called Shop %d times", n)
	}
	if _, err := s.OrderedPrestations(ctx, cold); err != nil {
		t.Fatal(err)
	}
	if n := f.Knobs.Calls("interface_prestations"); n != 1 {
		t.Errorf("a list not cached: %d list calls, want 1", n)
	}
}
