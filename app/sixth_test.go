package app_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSixthSource follows the README's "Adding a sixth source" recipe in a
// copy of the module: a client package with its ConfigFromEnv, a fake, the
// composition's open and sandbox functions in a file of their own, and one
// row of the sources table. It compiles with nothing else touched.
func TestSixthSource(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the module and builds it")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(root)); err != nil && !strings.Contains(err.Error(), "node_modules") {
		t.Fatal(err)
	}
	files := map[string]string{}
	entries, err := os.ReadDir("testdata/sixth")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		// sources_fake.go.txt -> sources/sixth/fake/fake.go: a file's
		// first line names where it goes.
		raw, err := os.ReadFile(filepath.Join("testdata/sixth", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		path, body, _ := strings.Cut(string(raw), "\n")
		files[strings.TrimPrefix(path, "// ")] = body
	}
	for path, body := range files {
		full := filepath.Join(dst, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The one row.
	table := filepath.Join(dst, "app", "sources.go")
	src, err := os.ReadFile(table)
	if err != nil {
		t.Fatal(err)
	}
	const last = "open: openGravitel},\n"
	if !strings.Contains(string(src), last) {
		t.Fatal("app/sources.go: the table's last row moved; update this test")
	}
	row := "\trow[sixth.Config]{name: sixth.Source, fromEnv: envOnly(sixth.ConfigFromEnv), sandbox: sandboxSixth, open: openSixth},\n"
	out := strings.Replace(string(src), last, last+row, 1)
	out = strings.Replace(out, "import (\n", "import (\n\t\"switchboard/sources/sixth\"\n", 1)
	if err := os.WriteFile(table, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./app/", "./sources/sixth/..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dst
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
		}
	}
}
