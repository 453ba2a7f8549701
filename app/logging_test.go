package app

import (
	"bytes"
	"strings"
	"testing"
)

func TestNewLogger(t *testing.T) {
	cases := []struct {
		level, format string
		want          string // what an Info and a Debug line write; "" for an error
	}{
		{"", "", `{"time":`},
		{"", "JSON", `"level":"INFO","msg":"info"`},
		{"debug", "text", `level=DEBUG msg=debug`},
		{"warn", "text", ``},
		{"WARN", "", ``},
		{"loud", "", "error"},
		{"", "xml", "error"},
	}
	for _, c := range cases {
		var out bytes.Buffer
		log, err := NewLogger(&out, func(k string) string {
			return map[string]string{"SWITCHBOARD_LOG_LEVEL": c.level, "SWITCHBOARD_LOG_FORMAT": c.format}[k]
		})
		if c.want == "error" {
			if err == nil {
				t.Errorf("%q/%q accepted", c.level, c.format)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q/%q: %v", c.level, c.format, err)
		}
		log.Debug("debug")
		log.Info("info")
		if !strings.Contains(out.String(), c.want) || (c.want == "" && out.Len() > 0) {
			t.Errorf("%q/%q wrote %q, want %q", c.level, c.format, out.String(), c.want)
		}
	}
}
