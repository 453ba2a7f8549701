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
	f := shopfake.New(shopfake.Options{Seed: 7})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := shop.New(shop.Config{BaseURL: srv.URL, ClientID: shopfake.DefaultClientID, ClientSecret: shopfake.DefaultClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	return shops.New(c, cache.New(cache.NewMemory(100), cache.Options{})), f
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
