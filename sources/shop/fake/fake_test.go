package fake

import (
	"slices"
	"strings"
	"testing"
)

func TestSeedIsDeterministicAndConsistent(t *testing.T) {
	a, b := New(Options{Seed: 7}), New(Options{Seed: 7})
	if !slices.Equal(a.keys, b.keys) || len(a.keys) < DefaultInterfaces {
		t.Fatalf("seeding differs or is short: %d keys", len(a.keys))
	}
	if c := New(Options{Seed: 8}); slices.Equal(a.keys, c.keys) {
		t.Fatal("seed ignored")
	}
	if len(a.prests) < 20 {
		t.Fatalf("%d prestations", len(a.prests))
	}
	for _, p := range a.prests {
		for _, x := range p.Associated {
			if a.byCode[x] == nil {
				t.Errorf("%s lists unknown associated %s", p.Code, x)
			}
		}
	}
	for _, k := range a.keys {
		it := a.ifaces[k]
		var codes []string
		for _, l := range it.lines {
			codes = append(codes, l.code)
		}
		if e := a.checkCodes(codes, true); e != nil {
			t.Fatalf("seeded interface %s breaks the rules: %s (%s)", k, e.msg, strings.Join(codes, " "))
		}
	}
	for st := StatusDeleted; st <= StatusPending; st++ {
		if len(a.Keys(st)) == 0 {
			t.Errorf("no interface with status %d", st)
		}
	}
}
