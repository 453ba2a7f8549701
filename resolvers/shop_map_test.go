package resolvers

import (
	"testing"

	"switchboard/graph/shops"
	"switchboard/sources/mmp"
)

func TestOrderedViewsMapsASharedSliceOnce(t *testing.T) {
	m := viewMemo[shops.Ordered, string]{mapList: each(func(o shops.Ordered, _ string) *string { c := o.Code; return &c })}
	cached := []shops.Ordered{{Code: "IN-ECO-S"}, {Code: "IN-ECO-AMA"}}
	first, again := m.of(cached, ""), m.of(cached, "")
	if len(first) != 2 || *first[0] != "IN-ECO-S" || *first[1] != "IN-ECO-AMA" {
		t.Fatalf("view %v", first)
	}
	if &first[0] != &again[0] {
		t.Error("the same cached slice was mapped twice")
	}
	other := []shops.Ordered{{Code: "OP-PAGE"}}
	if v := m.of(other, ""); len(v) != 1 || *v[0] != "OP-PAGE" {
		t.Fatalf("another slice: %v", v)
	}
	if v := m.of(nil, ""); len(v) != 0 || v == nil {
		t.Fatalf("empty list: %#v", v)
	}
	for range maxViews + 1 {
		m.of([]shops.Ordered{{Code: "X"}}, "")
	}
	if len(m.views) > maxViews {
		t.Fatalf("%d views remembered, bound %d", len(m.views), maxViews)
	}
}

func TestVehicleViewsAreKeyedByPlate(t *testing.T) {
	cached := []mmp.Customer{{ClientID: 7, LastName: "Martin", Mobile: "0612345678"}}
	a, again := customerViews.of(cached, "AB123CD"), customerViews.of(cached, "AB123CD")
	if a[0] != again[0] {
		t.Error("the same cached customers were mapped twice")
	}
	b := customerViews.of(cached, "EF456GH")
	if got := b[0].Plates; len(got) != 1 || got[0] != "EF456GH" {
		t.Fatalf("plates %v: a view made for another plate was served", got)
	}
	if got := a[0].Plates; len(got) != 1 || got[0] != "AB123CD" {
		t.Fatalf("plates %v", got)
	}
	if sub := customerViews.of(cached[:0], "AB123CD"); len(sub) != 0 {
		t.Fatalf("an empty slice of the same array: %v", sub)
	}
}
