package fakekit

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestTokens(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var tk Tokens
	if got := tk.Check("a", t0); got != TokenUnknown {
		t.Fatalf("before issue: %v", got)
	}
	tk.Issue("a", t0.Add(time.Hour))
	tk.Issue("forever", time.Time{})
	for _, c := range []struct {
		tok  string
		at   time.Time
		want TokenState
	}{
		{"", t0, TokenMissing},
		{"a", t0, TokenValid},
		{"a", t0.Add(time.Hour - time.Nanosecond), TokenValid},
		{"b", t0, TokenUnknown},
		{"forever", t0.AddDate(10, 0, 0), TokenValid},
		{"a", t0.Add(time.Hour), TokenExpired},
		{"a", t0, TokenUnknown}, // an expired token is forgotten
	} {
		if got := tk.Check(c.tok, c.at); got != c.want {
			t.Errorf("Check(%q, %v) = %v, want %v", c.tok, c.at, got, c.want)
		}
	}
	tk.Expire()
	if tk.Valid("forever", t0) {
		t.Fatal("Expire kept a token")
	}
}

func TestBearer(t *testing.T) {
	for h, want := range map[string]string{"Bearer abc": "abc", "bearer  abc ": "abc", "Basic abc": "", "Bearer": "", "": ""} {
		r := httptest.NewRequest("GET", "/", nil)
		if h != "" {
			r.Header.Set("Authorization", h)
		}
		if got := Bearer(r); got != want {
			t.Errorf("Bearer(%q) = %q, want %q", h, got, want)
		}
	}
}
