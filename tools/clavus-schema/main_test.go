package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/sources/clavus/fake"
)

// TestRefreshFromFake introspects the fake (String/Int reading) and writes
// an SDL that loads and carries the live argument types.
func TestRefreshFromFake(t *testing.T) {
	f := fake.New(fake.Options{APIKey: "k", Typing: fake.TypingStringInt})
	srv := httptest.NewServer(f)
	defer srv.Close()
	t.Setenv("CLAVUS_URL", srv.URL+"/api/external/graphql")
	t.Setenv("CLAVUS_API_KEY", "k")
	out := filepath.Join(t.TempDir(), "schema.graphql")
	os.Args = []string{"clavus-schema", out}
	if err := run(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s, gerr := gqlparser.LoadSchema(&ast.Source{Input: string(b)})
	if gerr != nil {
		t.Fatalf("%v\n%s", gerr, b)
	}
	arg := s.Types["ErpEnrAPI"].Fields.ForName("getUsers").Arguments.ForName("teamId")
	if arg == nil || arg.Type.String() != "String" || !strings.Contains(string(b), "upsertProspect") {
		t.Fatalf("introspected schema:\n%s", b)
	}
}
