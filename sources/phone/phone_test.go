package phone

import (
	"strconv"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"06 12 34 56 78", "33612345678", true},
		{"+33612345678", "33612345678", true},
		{"0033612345678", "33612345678", true},
		{"+33 (0)6 12 34 56 78", "33612345678", true},
		{"01.23.45.67.89", "33123456789", true},
		{"+7 495 123-45-67", "74951234567", true},
		{"", "", false},
		{"hello", "", false},
		{"12", "", false},
		{"+33 6 12 34 56 78 90 12 34 56 78 90 12 34 56", "", false},
	}
	for round := range 2 { // the second answers from the memo
		for _, c := range cases {
			got, err := Normalize(c.in)
			if (err == nil) != c.ok || got != c.want {
				t.Errorf("round %d: Normalize(%q) = %q, %v; want %q ok=%v", round, c.in, got, err, c.want, c.ok)
			}
		}
	}
}

// The memo forgets when full and keeps answering right.
func TestNormalizeMemoBound(t *testing.T) {
	for i := range memoMax + 10 {
		in := "06" + strconv.Itoa(10000000+i)
		if got, err := Normalize(in); err != nil || got != "336"+strconv.Itoa(10000000+i) {
			t.Fatalf("Normalize(%q) = %q, %v", in, got, err)
		}
	}
	if n := memoSize.Load(); n > memoMax {
		t.Fatalf("memo holds %d entries, bound %d", n, memoMax)
	}
}

func BenchmarkNormalizeRepeated(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Normalize("0761516087"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"06 12 34 56 78", "+33612345678", "0033612345678", "+7 495 123-45-67", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Normalize(s)
		if err != nil {
			return
		}
		again, err := Normalize("+" + n)
		if err != nil || again != n {
			t.Fatalf("Normalize(%q) = %q, but Normalize(+%q) = %q, %v", s, n, n, again, err)
		}
	})
}
