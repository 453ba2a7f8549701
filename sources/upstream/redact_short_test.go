package upstream

import "testing"

// A secret under 8 characters is not redacted by substring: "b" as a
// password blanked every b of every message.
func TestShortSecretsAreNotRedactedBySubstring(t *testing.T) {
	RegisterSecrets("b", "pw", "long-enough-secret")
	rememberToken("tok")
	e := NewError("test", "op", KindRejected, 400, "bad bob: tok pw, long-enough-secret", nil, nil)
	if got, want := e.UpstreamMessage(), "bad bob: tok pw, "+redacted; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}
