package flatlists

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// TestWriteStringAsGqlgen: strings are quoted and escaped as gqlgen does.
func TestWriteStringAsGqlgen(t *testing.T) {
	for _, s := range []string{"", "IN-ECO-S", `a "quoted" \ path`, "tab\tnew\nline\rcr", "\x00\x1f", "été ☕", "\xff\xfe"} {
		var got, want bytes.Buffer
		writeString(&got, s)
		graphql.MarshalString(s).MarshalGQL(&want)
		if got.String() != want.String() {
			t.Errorf("%q: wrote %s, gqlgen writes %s", s, got.String(), want.String())
		}
	}
}

// TestNumbersAsGqlgen: Int and Float are written as gqlgen's marshalers
// write them, and a Float gqlgen would refuse is left to gqlgen.
func TestNumbersAsGqlgen(t *testing.T) {
	type row struct {
		i *int
		f *float64
	}
	ints := NullInt(func(r *row) *int { return r.i })
	floats := NullFloat(func(r *row) *float64 { return r.f })
	for _, n := range []int{0, -1, 42, math.MaxInt64, math.MinInt64} {
		var got, want bytes.Buffer
		ints.write(&got, &row{i: &n})
		graphql.MarshalInt(n).MarshalGQL(&want)
		if got.String() != want.String() {
			t.Errorf("int %d: wrote %s, gqlgen writes %s", n, got.String(), want.String())
		}
	}
	for _, f := range []float64{0, -0.5, 490, 1234.56, 1e21, 1e-7, math.MaxFloat64} {
		var got, want bytes.Buffer
		floats.write(&got, &row{f: &f})
		if err := graphql.MarshalFloatContext(f).MarshalGQLContext(context.Background(), &want); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() || !floats.ok(&row{f: &f}) {
			t.Errorf("float %v: wrote %s, gqlgen writes %s", f, got.String(), want.String())
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if floats.ok(&row{f: &f}) {
			t.Errorf("float %v: written, gqlgen refuses it", f)
		}
	}
	var null bytes.Buffer
	floats.write(&null, &row{})
	if null.String() != "null" || !floats.ok(&row{}) {
		t.Errorf("nil float: %q", null.String())
	}
}
