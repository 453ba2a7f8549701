package flatlists

import (
	"bytes"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// TestWriteStringAsGqlgen: strings are quoted and escaped as gqlgen does.
func TestWriteStringAsGqlgen(t *testing.T) {
	for _, s := range []string{"", "IN-ECO-S", `a "quoted" \ path`, "tab\tnew\nline\rcr", "\x00\x1f", "été ☕", "\xff\xfe"} {
		var got, want bytes.Buffer
		writeString(&got, s)
		graphql.MarshalString(s).MarshalGQL(&want)
		if got.String() != want.String() {
			t.Errorf("%q: wrote %s, gqlgen writes %s", s, got.String(), want.String())
		}
	}
}
