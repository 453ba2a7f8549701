package phone

import "testing"

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
	for _, c := range cases {
		got, err := Normalize(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q ok=%v", c.in, got, err, c.want, c.ok)
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
