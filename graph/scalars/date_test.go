package scalars

import (
	"bytes"
	"strconv"
	"testing"
	"time"
)

// TestDateMarshalGQL: a date is written quoted, YYYY-MM-DD, whatever its year.
func TestDateMarshalGQL(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2024, 7, 4, 15, 30, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(907, 2, 9, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 3, 1, 0, 0, 0, 0, time.UTC),
	} {
		var b bytes.Buffer
		NewDate(tm).MarshalGQL(&b)
		if want := strconv.Quote(tm.Format("2006-01-02")); b.String() != want {
			t.Errorf("%v: %s, want %s", tm, b.String(), want)
		}
	}
}

func BenchmarkDateMarshalGQL(b *testing.B) {
	d := NewDate(time.Date(2024, 7, 4, 0, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		d.MarshalGQL(&buf)
	}
}
