package cache

import (
	"context"
	"testing"
	"time"
)

func BenchmarkGetJSONHit(b *testing.B) {
	c := New(NewMemory(1000), Options{})
	ctx := context.Background()
	k := Key{Source: "mmp", Operation: "vision360", ID: "AB123CD"}
	val := map[string][]int{"lines": make([]int, 200)}
	fetch := func(context.Context) (map[string][]int, error) { return val, nil }
	if _, err := GetJSON(ctx, c, k, time.Hour, fetch); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GetJSON(ctx, c, k, time.Hour, fetch); err != nil {
			b.Fatal(err)
		}
	}
}
