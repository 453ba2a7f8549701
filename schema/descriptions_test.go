package schema

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// Every type, field, enum value and input field of the unified schema says
// what it is and where it comes from (GraphiQL shows these to every user).
func TestEveryDefinitionIsDescribed(t *testing.T) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema", Input: SDL()})
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for name, def := range s.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		if strings.TrimSpace(def.Description) == "" {
			missing = append(missing, name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if strings.TrimSpace(f.Description) == "" {
				missing = append(missing, name+"."+f.Name)
			}
		}
		for _, v := range def.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				missing = append(missing, name+"."+v.Name)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d definitions without a description: %s", len(missing), strings.Join(missing, ", "))
	}
}
