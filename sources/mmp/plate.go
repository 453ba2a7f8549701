package mmp

import (
	"errors"
	"strings"
)

// ErrInvalidPlate is returned (wrapped) for a registration plate that cannot
// be a French one.
var ErrInvalidPlate = errors.New("mmp: invalid registration plate")

// NormalizePlate returns the plate MMP expects: spaces, dashes and dots
// removed, upper case. It accepts SIV plates (AB-123-CD), old FNI plates
// (1234 AB 75, 123 ABC 2A) and the short test style of the seed (ABC123):
// after normalization, 2 to 10 letters and digits with at least one of each.
func NormalizePlate(s string) (string, error) {
	var b strings.Builder
	letters, digits := 0, 0
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '\t':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
			letters++
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
			letters++
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digits++
		default:
			return "", ErrInvalidPlate
		}
	}
	if n := b.Len(); n < 2 || n > 10 || letters == 0 || digits == 0 {
		return "", ErrInvalidPlate
	}
	return b.String(), nil
}
