package upstream

import (
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

func TestErrorsRedactKnownSecrets(t *testing.T) {
	RegisterSecrets("cfg-secret+1/x", "")
	r := httptest.NewRequest("GET", "/", nil)
	if _, err := (StaticBearer("static-api-key-77")).Authorize(r); err != nil {
		t.Fatal(err)
	}
	tokens := NewTokens(TokenFunc(func() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: "issued-token-42"}, nil }))
	if _, err := (BearerAuth{Source: "test", Tokens: tokens}).Authorize(r); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, message, secret string }{
		{"configured secret", "invalid client_secret cfg-secret+1/x", "cfg-secret+1/x"},
		{"configured secret, URL-encoded", "body: client_secret=cfg-secret%2B1%2Fx&grant_type=x", "cfg-secret%2B1%2Fx"},
		{"static API key", "key static-api-key-77 revoked", "static-api-key-77"},
		{"issued access token", "Authorization: Bearer issued-token-42", "issued-token-42"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := NewError("test", "op", KindRejected, 400, c.message, []byte(c.message), nil)
			for _, text := range []string{e.Error(), e.UpstreamMessage()} {
				if strings.Contains(text, c.secret) || !strings.Contains(text, redacted) {
					t.Errorf("%q", text)
				}
			}
		})
	}
	if got := NewError("test", "op", KindRejected, 400, "plain message", nil, nil).UpstreamMessage(); got != "plain message" {
		t.Errorf("a message without secrets changed: %q", got)
	}
}
