package folders

import (
	"testing"
	"time"
)

func TestParseCreated(t *testing.T) {
	day := func(y, m, d, h, min int) time.Time { return time.Date(y, time.Month(m), d, h, min, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2022-01-01", day(2022, 1, 1, 0, 0), true},
		{"2022-02-15T10:30:00Z", day(2022, 2, 15, 10, 30), true},
		{"2022-02-15T10:30:00.123+01:00", time.Date(2022, 2, 15, 10, 30, 0, 123e6, time.FixedZone("", 3600)), true},
		{"2022-02-15T10:30:00", day(2022, 2, 15, 10, 30), true},
		{"2022-02-15 10:30:00", day(2022, 2, 15, 10, 30), true},
		{"2022-02-15 10:30", day(2022, 2, 15, 10, 30), true},
		{"15/02/2022", day(2022, 2, 15, 0, 0), true},
		{"5/2/2022", day(2022, 2, 5, 0, 0), true},
		{"15/02/2022 10:30", day(2022, 2, 15, 10, 30), true},
		{"15/02/2022  10:30:00", day(2022, 2, 15, 10, 30), true},
		{"15/02/2022 10h30", day(2022, 2, 15, 10, 30), true},
		{"15-02-2022", day(2022, 2, 15, 0, 0), true},
		{"15.02.2022", day(2022, 2, 15, 0, 0), true},
		{" 2022-01-01 ", day(2022, 1, 1, 0, 0), true},
		{"", time.Time{}, false},
		{"hier", time.Time{}, false},
		{"02/15/2022", time.Time{}, false}, // month-first is not a French date
		{"2022-13-01", time.Time{}, false},
	} {
		got, ok := parseCreated(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseCreated(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNewer(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		// Text comparison gets these wrong.
		{"02/03/2023", "15/02/2022", true},
		{"15/02/2022", "02/03/2023", false},
		{"01/01/2023", "2022-12-31", true},
		{"2022-12-31", "01/01/2023", false},
		{"10/01/2023 09:00", "10/01/2023 08:59", true},
		{"10/01/2023", "10/01/2023 00:01", false},
		{"2023-01-10T08:00:00+01:00", "2023-01-10 07:30", false}, // 07:00 UTC
		// Equal dates keep the first candidate.
		{"2022-01-01", "01/01/2022", false},
		// Unparseable dates rank last.
		{"2022-01-01", "", true},
		{"", "2022-01-01", false},
		{"n/a", "1999-01-01", false},
		{"1999-01-01", "n/a", true},
		{"zzz", "aaa", false},
		{"", "", false},
	} {
		if got := newer(tc.a, tc.b); got != tc.want {
			t.Errorf("newer(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
