package phone

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		in, want string // want "" = refused
	}{
		// The French forms the upstreams write.
		{"0612345678", "33612345678"},
		{"06 12 34 56 78", "33612345678"},
		{"06.12.34.56.78", "33612345678"},
		{"+33 6 12 34 56 78", "33612345678"},
		{"33612345678", "33612345678"},
		{"0033612345678", "33612345678"},
		{"+33612345678", "33612345678"},
		{"+33 (0)6 12 34 56 78", "33612345678"},
		{"612345678", "33612345678"},
		{"  06-12-34-56-78 ", "33612345678"},
		{"01.23.45.67.89", "33123456789"},
		{"01.42.68.53.00", "33142685300"},
		// The PBX's bare international digits, as the webhook stores them.
		{"79101234567", "79101234567"},
		{"+7 495 123-45-67", "74951234567"},
		{"74951234567", "74951234567"},
		// E.164 keeps the leading zero Italy dials after its code.
		{"+39 06 1234 5678", "390612345678"},
		{"390612345678", "390612345678"},
		{"0039 06 1234 5678", "390612345678"},
		{"+44 20 7946 0958", "442079460958"},
		// Garbage.
		{"", ""}, {"   ", ""}, {"hello", ""}, {"12", ""}, {"+", ""}, {"00", ""}, {"06 12", ""},
		{"+33 6 12", ""}, {"0612345678901234", ""}, {"06 12 34 56 78 99 99", ""},
		{"+33 6 12 34 56 78 90 12 34 56 78 90 12 34 56", ""},
		{strings.Repeat("1", 100), ""},
	}
	for _, c := range cases {
		for range 2 { // the second reading comes from the cache
			got, err := Normalize(c.in)
			if c.want == "" {
				if !errors.Is(err, ErrInvalid) || got != "" {
					t.Errorf("Normalize(%q) = %q, %v; want ErrInvalid", c.in, got, err)
				}
				continue
			}
			if err != nil || got != c.want {
				t.Errorf("Normalize(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
		}
	}
}

func TestNational(t *testing.T) {
	for in, want := range map[string]string{"33612345678": "0612345678", "390612345678": "+390612345678", "79101234567": "+79101234567"} {
		if got := National(in); got != want {
			t.Errorf("National(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDisplay(t *testing.T) {
	for in, want := range map[string]string{"06 12 34 56 78": "33612345678", "n/a": "n/a", "": ""} {
		if got := Display(in); got != want {
			t.Errorf("Display(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"06 12 34 56 78", "+33612345678", "0033612345678", "+7 495 123-45-67", "79101234567", "+39 06 1234 5678", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Normalize(s)
		if err != nil {
			return
		}
		if again, err := Normalize("+" + n); err != nil || again != n {
			t.Fatalf("Normalize(%q) = %q, but Normalize(+%q) = %q, %v", s, n, n, again, err)
		}
	})
}
