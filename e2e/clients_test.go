package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"switchboard/clients/go/example"
)

// TestTypeScriptClient regenerates the TypeScript client's typed operations
// from the schema lock (they must be committed fresh), compiles the example
// (tsc checks it against those types) and runs it against a sandbox.
func TestTypeScriptClient(t *testing.T) {
	if testing.Short() {
		t.Skip("npm and tsc")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not installed")
	}
	dir := filepath.Join("..", "clients", "typescript")
	run := func(name string, args ...string) []byte {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return out
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".bin", "graphql-codegen")); err != nil {
		run(npm, "ci", "--no-audit", "--no-fund", "--silent")
	}
	generated := filepath.Join(dir, "src", "generated", "graphql.ts")
	before, err := os.ReadFile(generated)
	if err != nil {
		t.Fatal(err)
	}
	run(npm, "run", "--silent", "generate")
	if after, _ := os.ReadFile(generated); string(after) != string(before) {
		t.Errorf("%s was stale (now regenerated): run `make generate` and commit it", generated)
	}
	run(npm, "run", "--silent", "build")

	g := startGateway(t, nil)
	out := run(node, "dist/example.js", g.url, g.key)
	var got struct {
		Plate     string
		Customers []string
		Invoices  int
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("example output %q: %v", out, err)
	}
	if got.Plate != "AB123CD" || len(got.Customers) == 0 || got.Invoices == 0 {
		t.Errorf("example printed %s, want the sandbox's AB123CD with customers and invoices", out)
	}
}

// TestGoClient runs the genqlient example client against a sandbox.
func TestGoClient(t *testing.T) {
	g := startGateway(t, nil)
	resp, err := example.VehicleByPlate(t.Context(), example.NewClient(g.url, g.key), "ab-123 cd")
	if err != nil {
		t.Fatal(err)
	}
	v := resp.GetVehicle()
	if v == nil || v.Plate != "AB123CD" || len(v.Customers) == 0 || len(v.Invoices) == 0 {
		t.Fatalf("vehicle %+v, want the sandbox's AB123CD with customers and invoices", v)
	}

	_, err = example.VehicleByPlate(t.Context(), example.NewClient(g.url, "not-a-key"), "AB-123-CD")
	if err == nil {
		t.Fatal("a bad key was accepted")
	}
}
