package mmp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"switchboard/sources/internal/clock"
)

// Layouts MMP uses for dates and datetimes.
const (
	DateLayout     = "2006-01-02"
	DateTimeLayout = "2006-01-02 15:04:05"
)

// Paris is the zone of MMP's datetimes ("2020-11-18 11:26:01" carries no offset).
var Paris = clock.Paris

// Date is an MMP date or datetime. It decodes "2006-01-02" (midnight UTC),
// "2006-01-02 15:04:05" (Paris time), RFC 3339, and null, "" or the MySQL
// zero date "0000-00-00" (all three as the zero Date). It encodes back to
// null when zero, to "2006-01-02" when its clock reads midnight, else to
// "2006-01-02 15:04:05" in Paris time.
type Date struct {
	time.Time
}

// NewDate is the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses any form Date accepts from JSON (without quotes).
func ParseDate(s string) (Date, error) {
	switch s {
	case "", "0000-00-00", "0000-00-00 00:00:00":
		return Date{}, nil
	}
	if t, err := time.Parse(DateLayout, s); err == nil {
		return Date{t}, nil
	}
	if t, err := time.ParseInLocation(DateTimeLayout, s, Paris); err == nil {
		return Date{t}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return Date{t}, nil
	}
	return Date{}, fmt.Errorf("mmp: bad date %q", s)
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("mmp: date is not a string: %w", err)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// String is the MMP wire form, "" when zero.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	h, m, s := d.Clock()
	if h == 0 && m == 0 && s == 0 {
		return d.Format(DateLayout)
	}
	return d.In(Paris).Format(DateTimeLayout)
}
