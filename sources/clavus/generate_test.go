package clavus_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/Khan/genqlient/generate"
)

// TestGeneratedUpToDate regenerates the genqlient output in memory and
// compares it byte for byte with the committed file, so a stale
// sources/clavus/clavusgql fails here as well as in CI's `make generate` diff.
func TestGeneratedUpToDate(t *testing.T) {
	cfg, err := generate.ReadAndValidateConfig("../../genqlient.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("genqlient produced %d files", len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `go tool genqlient`", name)
		}
	}
}
