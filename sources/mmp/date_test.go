package mmp_test

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard/sources/mmp"
)

func TestDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		out  string
		err  bool
	}{
		{`"2016-02-23"`, time.Date(2016, 2, 23, 0, 0, 0, 0, time.UTC), `"2016-02-23"`, false},
		{`"2020-11-18 11:26:01"`, time.Date(2020, 11, 18, 10, 26, 1, 0, time.UTC), `"2020-11-18 11:26:01"`, false},
		{`"2021-07-01T08:00:00+02:00"`, time.Date(2021, 7, 1, 6, 0, 0, 0, time.UTC), `"2021-07-01 08:00:00"`, false},
		{`null`, time.Time{}, `null`, false},
		{`""`, time.Time{}, `null`, false},
		{`"0000-00-00"`, time.Time{}, `null`, false},
		{`"30/09/2009"`, time.Time{}, ``, true},
		{`20160223`, time.Time{}, ``, true},
	}
	for _, tt := range tests {
		var d mmp.Date
		err := json.Unmarshal([]byte(tt.in), &d)
		if (err != nil) != tt.err {
			t.Fatalf("%s: err %v", tt.in, err)
		}
		if err != nil {
			continue
		}
		if !d.Equal(tt.want) {
			t.Fatalf("%s: got %v want %v", tt.in, d.Time, tt.want)
		}
		if out, _ := json.Marshal(d); string(out) != tt.out {
			t.Fatalf("%s: marshals to %s, want %s", tt.in, out, tt.out)
		}
	}
}
