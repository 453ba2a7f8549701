// Package phone is the gateway's one phone normalizer: every phone is
// stored, compared and sent as E.164 digits without the plus sign
// ("33612345678"), the form Gravitel writes and expects, whatever the
// upstream or the user wrote ("06 12 34 56 78", "+33 6 12 34 56 78",
// "0033612345678", the PBX's bare "79101234567"). It wraps
// nyaruka/phonenumbers, Google's libphonenumber for Go.
package phone

import (
	"errors"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion applies to numbers written without a country code: the
// upstreams are French businesses.
const DefaultRegion = "FR"

// maxLen bounds what is parsed: the longest written form of a real number
// (with spaces, dots, "(0)") is well under it.
const maxLen = 32

// ErrInvalid is returned for a string that is not a valid phone number.
var ErrInvalid = errors.New("invalid phone number")

// parsed remembers recent answers: the same numbers come back in every
// page of customers, folders and calls, and parsing costs far more than a
// lookup. Bounded, so dirty upstream data cannot grow it.
var parsed = must(lru.New[string, string](4096))

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Normalize returns the E.164 digits of s. A number without a country code
// is read as French; a bare digit string that is not a valid French number
// is read as international, since that is how the PBX writes phones
// ("79101234567").
func Normalize(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxLen {
		return "", ErrInvalid
	}
	if n, ok := parsed.Get(s); ok {
		if n == "" {
			return "", ErrInvalid
		}
		return n, nil
	}
	n := normalize(s)
	parsed.Add(s, n)
	if n == "" {
		return "", ErrInvalid
	}
	return n, nil
}

func normalize(s string) string {
	if rest, ok := strings.CutPrefix(s, "00"); ok {
		s = "+" + rest
	}
	if n, ok := e164(s); ok {
		return n
	}
	if s[0] != '+' && s[0] != '0' && onlyDigits(s) {
		if n, ok := e164("+" + s); ok {
			return n
		}
	}
	return ""
}

// e164 formats with phonenumbers.Format, which keeps the leading zero some
// countries dial after their code ("+39 06…" is 3906…).
func e164(s string) (string, bool) {
	num, err := phonenumbers.Parse(s, DefaultRegion)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", false
	}
	return strings.TrimPrefix(phonenumbers.Format(num, phonenumbers.E164), "+"), true
}

func onlyDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Display returns Normalize(s), or s unchanged when it is not a phone
// number: upstream data is shown even when it is dirty.
func Display(s string) string {
	if n, err := Normalize(s); err == nil {
		return n
	}
	return s
}

// National is n (E.164 digits) as a French caller dials it: "0612345678"
// for a French number, "+" and the digits otherwise.
func National(n string) string {
	if rest, ok := strings.CutPrefix(n, "33"); ok {
		return "0" + rest
	}
	return "+" + n
}
