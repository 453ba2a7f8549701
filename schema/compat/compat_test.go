package compat

import (
	"strings"
	"testing"
)

const base = `
type Query {
  "A call."
  call(id: ID!, user: String): Call
  calls(first: Int = 10): [Call!]!
}
type Call {
  id: ID!
  phone: String
  status: Status!
  tags: [String!]!
}
enum Status { RINGING ANSWERED }
input CallFilter { user: String, since: String! }
union Party = Call
directive @scope(name: String!) on FIELD_DEFINITION
`

func TestDiff(t *testing.T) {
	cases := []struct {
		name, from, to string
		want           []string // "level coordinate"
	}{
		{"no change", "", "", nil},
		{"field removed", "  phone: String\n", "", []string{"breaking Call.phone"}},
		{"type removed", "input CallFilter { user: String, since: String! }", "", []string{"breaking CallFilter"}},
		{"enum value removed", "enum Status { RINGING ANSWERED }", "enum Status { RINGING }", []string{"breaking Status.ANSWERED"}},
		{"enum value added", "enum Status { RINGING ANSWERED }", "enum Status { RINGING ANSWERED MISSED }", []string{"dangerous Status.MISSED"}},
		{"output non-null to nullable", "status: Status!", "status: Status", []string{"breaking Call.status"}},
		{"output nullable to non-null", "phone: String\n", "phone: String!\n", []string{"safe Call.phone"}},
		{"output list item loosened", "tags: [String!]!", "tags: [String]!", []string{"breaking Call.tags"}},
		{"output type changed", "phone: String\n", "phone: Int\n", []string{"breaking Call.phone"}},
		{"arg nullable to non-null", "user: String)", "user: String!)", []string{"breaking Query.call(user:)"}},
		{"arg non-null to nullable", "call(id: ID!,", "call(id: ID,", []string{"safe Query.call(id:)"}},
		{"arg removed", ", user: String)", ")", []string{"breaking Query.call(user:)"}},
		{"optional arg added", "calls(first: Int = 10)", "calls(first: Int = 10, after: String)", []string{"dangerous Query.calls(after:)"}},
		{"required arg added", "calls(first: Int = 10)", "calls(first: Int = 10, after: String!)", []string{"breaking Query.calls(after:)"}},
		{"arg default changed", "first: Int = 10", "first: Int = 20", []string{"dangerous Query.calls(first:)"}},
		{"input field nullable to non-null", "user: String,", "user: String!,", []string{"breaking CallFilter.user"}},
		{"required input field added", "since: String! }", "since: String!, until: String! }", []string{"breaking CallFilter.until"}},
		{"optional input field added", "since: String! }", "since: String!, until: String }", []string{"dangerous CallFilter.until"}},
		{"field added", "  tags: [String!]!\n", "  tags: [String!]!\n  line: Int\n", []string{"safe Call.line"}},
		{"type added", "union Party", "type Line { id: ID! }\nunion Party", []string{"safe Line"}},
		{"field deprecated", "  phone: String\n", "  phone: String @deprecated(reason: \"use tags\")\n", []string{"safe Call.phone"}},
		{"description changed", `"A call."`, `"One call."`, []string{"safe Query.call"}},
		{"kind changed", "union Party = Call", "scalar Party", []string{"breaking Party"}},
		{"union member added", "union Party = Call", "type Line { id: ID! }\nunion Party = Call | Line", []string{"safe Line", "dangerous Party"}},
		{"directive location removed", "on FIELD_DEFINITION", "on OBJECT", []string{"breaking @scope", "safe @scope"}},
		{"directive removed", "directive @scope(name: String!) on FIELD_DEFINITION", "", []string{"breaking @scope"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(base, c.from) {
				t.Fatalf("%q is not in the base schema", c.from)
			}
			got := diff(t, base, strings.Replace(base, c.from, c.to, 1))
			if strings.Join(got, "; ") != strings.Join(c.want, "; ") {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func diff(t *testing.T, from, to string) []string {
	t.Helper()
	old, err := Load("old", from)
	if err != nil {
		t.Fatal(err)
	}
	new, err := Load("new", to)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range Diff(old, new) {
		out = append(out, c.Level.String()+" "+c.Coordinate)
	}
	return out
}

// TestCheck runs the CI gate on a field removal: it fails until the lock
// is regenerated and the changelog's Unreleased section names the field.
func TestCheck(t *testing.T) {
	removed := strings.Replace(base, "  phone: String\n", "", 1)
	recorded := "# Changelog\n\n## [Unreleased]\n\n### Removed\n- `Call.phone`: use `Call.tags`.\n\n## [1.0.0]\n"
	releasedOnly := "# Changelog\n\n## [Unreleased]\n\n## [1.0.0]\n- `Call.phone` was added.\n"
	cases := []struct {
		name                 string
		lock, current, notes string
		wantErr              string
	}{
		{"unchanged", base, base, "", ""},
		{"removed field, lock not regenerated", base, removed, recorded, "run `make schema-lock`"},
		{"removed field, no changelog entry", removed, removed, "", "Call.phone: field removed"},
		{"removed field, named in a released section only", removed, removed, releasedOnly, "Call.phone"},
		{"removed field, lock and changelog record it", removed, removed, recorded, ""},
		{"added field needs only the lock", base + "extend type Call { line: Int }\n", base + "extend type Call { line: Int }\n", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Check("v1.0.0", base, c.lock, c.current, c.notes)
			switch {
			case c.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Errorf("error %v, want one containing %q", err, c.wantErr)
			}
		})
	}
}
