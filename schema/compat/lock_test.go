package compat

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"switchboard/schema"
)

// TestSchemaLock is the CI schema check: schema.lock.graphql is the schema
// the gateway serves, and every breaking change since the last release
// (the lock at the newest git tag; before any tag, the lock as first
// committed) is named in CHANGELOG.md's Unreleased section.
func TestSchemaLock(t *testing.T) {
	lock, err := os.ReadFile("../../schema.lock.graphql")
	if err != nil {
		t.Fatalf("%v: run `%s`", err, Regenerate)
	}
	changelog, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	name, baseline := releasedLock(t)
	dangerous, err := Check(name, baseline, string(lock), schema.SDL(), string(changelog))
	for _, c := range dangerous {
		t.Logf("dangerous change since %s: %s", name, c)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// releasedLock returns the lock of the last release and where it came from,
// or "" when git or the history is not there (then only freshness is checked).
func releasedLock(t *testing.T) (name, sdl string) {
	git := func(args ...string) (string, bool) {
		out, err := exec.Command("git", append([]string{"-C", "../.."}, args...)...).Output()
		return strings.TrimSpace(string(out)), err == nil
	}
	if tag, ok := git("describe", "--tags", "--abbrev=0"); ok && tag != "" {
		if sdl, ok := git("show", tag+":schema.lock.graphql"); ok {
			return "release " + tag, sdl + "\n"
		}
	}
	if commits, ok := git("log", "--diff-filter=A", "--format=%H", "--", "schema.lock.graphql"); ok && commits != "" {
		lines := strings.Split(commits, "\n")
		first := lines[len(lines)-1]
		if sdl, ok := git("show", first+":schema.lock.graphql"); ok {
			return "the first committed lock (" + first[:12] + ", no release tag yet)", sdl + "\n"
		}
	}
	t.Log("no released schema in the git history here: only the lock's freshness is checked")
	return "", ""
}
