package gravitel

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region assumed for national-format phones.
const DefaultRegion = "FR"

// ErrInvalidPhone reports a string that is not a valid phone number.
var ErrInvalidPhone = errors.New("gravitel: invalid phone number")

// NormalizePhone returns s as E.164 digits without '+', e.g. "33612345678".
// National numbers are read as French; a bare digit string that is not a
// valid French number is read as international, since that is how the PBX
// writes phones ("79101234567").
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return "", ErrInvalidPhone
	}
	if e, ok := parseValid(s); ok {
		return e, nil
	}
	if s[0] != '+' && s[0] != '0' && onlyDigits(s) {
		if e, ok := parseValid("+" + s); ok {
			return e, nil
		}
	}
	return "", ErrInvalidPhone
}

func parseValid(s string) (string, bool) {
	n, err := phonenumbers.Parse(s, DefaultRegion)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return strings.TrimPrefix(phonenumbers.Format(n, phonenumbers.E164), "+"), true
}

func onlyDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
