package app_test

import (
	"io/fs"
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
	if err := copyModule(dst, root); err != nil {
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

// copyModule copies the module's regular files, leaving out git's and
// npm's folders.
func copyModule(dst, root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.Name() == ".git" && !d.IsDir() {
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), raw, 0o644)
	})
}
