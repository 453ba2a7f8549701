package fake

import (
	"strings"
	"testing"
)

// FuzzSearch checks that any search string parses without panic and that a
// name always matches itself quoted as a phrase.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`"Octavia.Butler"`, `jean "dupont`, `"a-b:c,d"`, `""""`, `"é́"`, "\x00\"\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := parseSearch(s)
		_ = q.match(s)
		if strings.Contains(s, `"`) {
			return
		}
		if !parseSearch(`"` + s + `"`).match(s) {
			t.Fatalf("%q does not match itself as a phrase", s)
		}
	})
}
