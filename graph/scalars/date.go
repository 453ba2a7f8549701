// Package scalars holds the custom GraphQL scalars the schema declares
// beyond gqlgen's built-ins.
package scalars

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Date is a calendar date, marshalled as "YYYY-MM-DD".
type Date struct{ time.Time }

const dateLayout = "2006-01-02"

// NewDate wraps t, dropping its time of day.
func NewDate(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// MarshalGQL implements graphql.Marshaler. Lists of dates are marshalled
// on every query, so a date is written from static pieces ("2024, "-07,
// -04") rather than formatted and quoted into new strings.
func (d Date) MarshalGQL(w io.Writer) {
	y, m, day := d.Date()
	if y < 0 || y > 9999 {
		_, _ = io.WriteString(w, strconv.Quote(d.Format(dateLayout)))
		return
	}
	_, _ = io.WriteString(w, centuries[y/100])
	_, _ = io.WriteString(w, twoDigits[y%100])
	_, _ = io.WriteString(w, months[m])
	_, _ = io.WriteString(w, days[day])
}

// The pieces of a quoted date: `"20`, `24`, `-07`, `-04"`.
var (
	centuries = pieces(100, `"%02d`)
	twoDigits = pieces(100, `%02d`)
	months    = pieces(13, `-%02d`)
	days      = pieces(32, `-%02d"`)
)

func pieces(n int, format string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i)
	}
	return out
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("Date must be a string YYYY-MM-DD")
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return fmt.Errorf("Date must be YYYY-MM-DD, got %q", s)
	}
	d.Time = t
	return nil
}

// MarshalJSON keeps cached values in the same form.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.Format(dateLayout)) }

// UnmarshalJSON reads what MarshalJSON wrote.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	return d.UnmarshalGQL(s)
}
