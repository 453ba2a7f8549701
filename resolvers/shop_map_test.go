package resolvers

import (
	"testing"

	"switchboard/graph/shops"
)

func TestOrderedViewsMapsASharedSliceOnce(t *testing.T) {
	m := viewMemo[shops.Ordered, string]{mapOne: func(o shops.Ordered) *string { c := o.Code; return &c }}
	cached := []shops.Ordered{{Code: "IN-ECO-S"}, {Code: "IN-ECO-AMA"}}
	first, again := m.of(cached), m.of(cached)
	if len(first) != 2 || *first[0] != "IN-ECO-S" || *first[1] != "IN-ECO-AMA" {
		t.Fatalf("view %v", first)
	}
	if &first[0] != &again[0] {
		t.Error("the same cached slice was mapped twice")
	}
	other := []shops.Ordered{{Code: "OP-PAGE"}}
	if v := m.of(other); len(v) != 1 || *v[0] != "OP-PAGE" {
		t.Fatalf("another slice: %v", v)
	}
	if v := m.of(nil); len(v) != 0 || v == nil {
		t.Fatalf("empty list: %#v", v)
	}
	for range maxViews + 1 {
		m.of([]shops.Ordered{{Code: "X"}})
	}
	if len(m.views) > maxViews {
		t.Fatalf("%d views remembered, bound %d", len(m.views), maxViews)
	}
}
