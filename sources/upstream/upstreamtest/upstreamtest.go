// Package upstreamtest holds the assertions the source clients' tests
// share.
package upstreamtest

import (
	"testing"

	"switchboard/sources/upstream"
)

// WantKind fails t unless err is an *upstream.Error of source and kind,
// and returns it.
func WantKind(t testing.TB, err error, source string, kind upstream.Kind) *upstream.Error {
	t.Helper()
	ue, ok := upstream.AsError(err)
	if !ok {
		t.Fatalf("want a %s error of kind %s, got %T: %v", source, kind, err, err)
	}
	if ue.Kind != kind || ue.Source != source {
		t.Fatalf("want a %s error of kind %s, got a %s error of kind %s: %v", source, kind, ue.Source, ue.Kind, err)
	}
	return ue
}
