// Package phone normalizes phone numbers to E.164 digits without the plus
// sign ("33612345678"), the form Gravitel expects and the form the gateway
// stores and compares, whatever the upstream wrote ("06 12 34 56 78",
// "+33 6 12 34 56 78", "0033612345678"). It wraps nyaruka/phonenumbers,
// Google's libphonenumber for Go.
package phone

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion applies to numbers written without a country code: the
// upstreams are French businesses.
const DefaultRegion = "FR"

// ErrInvalid is returned for a string that is not a possible phone number.
var ErrInvalid = errors.New("invalid phone number")

// Normalize returns the E.164 digits of s. Results are remembered: the same
// cached customer's mobile is mapped on every request, and parsing it costs
// far more than the lookup.
func Normalize(s string) (string, error) {
	m := memo.Load()
	if r, ok := m.Load(s); ok {
		r := r.(result)
		return r.n, r.err
	}
	n, err := normalize(s)
	if memoSize.Add(1) > memoMax {
		// Bounded by forgetting everything at once: cheaper than an LRU,
		// and the next requests refill what is still in use.
		memo.Store(new(sync.Map))
		memoSize.Store(1)
		m = memo.Load()
	}
	m.Store(s, result{n, err})
	return n, err
}

const memoMax = 10000

var (
	memo     atomic.Pointer[sync.Map]
	memoSize atomic.Int64
)

func init() { memo.Store(new(sync.Map)) }

type result struct {
	n   string
	err error
}

func normalize(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 32 {
		return "", ErrInvalid
	}
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	num, err := phonenumbers.Parse(s, DefaultRegion)
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return "", ErrInvalid
	}
	return strconv.Itoa(int(num.GetCountryCode())) + strconv.FormatUint(num.GetNationalNumber(), 10), nil
}

// Display returns Normalize(s), or s unchanged when it is not a phone
// number: upstream data is shown even when it is dirty.
func Display(s string) string {
	if n, err := Normalize(s); err == nil {
		return n
	}
	return s
}
