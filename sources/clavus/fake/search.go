package fake

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Search follows the guide (whose wording is Meilisearch's): it applies to
// the folder name (the "Nom du client" column) and is case- and
// accent-insensitive.
//   - A quoted phrase matches only names holding its words consecutively, in
//     order. Soft separators (whitespace - , : _ ' / and similar) are ignored
//     inside a phrase ("jean-pierre" = "jean pierre"); a hard separator
//     (. ; ! ? ( ) [ ] { } |) splits it into separate phrases, so
//     "Octavia.Butler" = "Octavia" "Butler". A phrase never matches across a
//     hard separator of the name.
//   - Unquoted words must each be the prefix of a word of the name.
//   - Phrases and words combine: a folder must match all phrases first, then
//     every word (an unclosed quote runs to the end of the string).

func isHard(r rune) bool { return strings.ContainsRune(".;!?()[]{}|\n", r) }

func isSoft(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("-,:_'’/\\@+~=*#&", r)
}

// fold lowercases and strips accents.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// segments splits text at hard separators, then each part into words.
func segments(text string) [][]string {
	var out [][]string
	for _, part := range strings.FieldsFunc(fold(text), isHard) {
		if words := strings.FieldsFunc(part, isSoft); len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}

type searchQuery struct {
	phrases [][]string
	words   []string
}

func parseSearch(s string) searchQuery {
	var q searchQuery
	var plain strings.Builder
	for i, chunk := range strings.Split(s, `"`) {
		if i%2 == 0 {
			plain.WriteString(chunk)
			plain.WriteByte(' ')
			continue
		}
		q.phrases = append(q.phrases, segments(chunk)...)
	}
	q.words = strings.FieldsFunc(fold(plain.String()), func(r rune) bool { return isSoft(r) || isHard(r) })
	return q
}

func (q searchQuery) empty() bool { return len(q.phrases) == 0 && len(q.words) == 0 }

func (q searchQuery) match(text string) bool {
	segs := segments(text)
	for _, p := range q.phrases {
		if !hasPhrase(segs, p) {
			return false
		}
	}
	for _, w := range q.words {
		if !hasPrefix(segs, w) {
			return false
		}
	}
	return true
}

func hasPhrase(segs [][]string, phrase []string) bool {
	for _, seg := range segs {
		for i := 0; i+len(phrase) <= len(seg); i++ {
			ok := true
			for j, w := range phrase {
				if seg[i+j] != w {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
	}
	return false
}

func hasPrefix(segs [][]string, w string) bool {
	for _, seg := range segs {
		for _, x := range seg {
			if strings.HasPrefix(x, w) {
				return true
			}
		}
	}
	return false
}

// Operators of FilterInput.
var Operators = []string{"=", "<", ">", "<=", ">=", "IN", "CONTAINS"}

func number(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

// compareValues orders numerically when both sides are numbers, otherwise
// as folded text (ISO dates YYYY-MM-DD order correctly as text).
func compareValues(a, b string) int {
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	return strings.Compare(fold(strings.TrimSpace(a)), fold(strings.TrimSpace(b)))
}

// inList reads IN's value: a JSON array of strings, or a comma-separated list.
func inList(v string) []string {
	var arr []string
	if strings.HasPrefix(strings.TrimSpace(v), "[") && json.Unmarshal([]byte(v), &arr) == nil {
		return arr
	}
	return strings.Split(v, ",")
}

// matchFilter applies one filter; a null cell matches nothing. Equality is
// case-insensitive, numeric when both sides are numbers.
func matchFilter(cell string, present bool, op, value string) bool {
	if !present {
		return false
	}
	switch op {
	case "=":
		return compareValues(cell, value) == 0
	case "<":
		return compareValues(cell, value) < 0
	case ">":
		return compareValues(cell, value) > 0
	case "<=":
		return compareValues(cell, value) <= 0
	case ">=":
		return compareValues(cell, value) >= 0
	case "IN":
		for _, x := range inList(value) {
			if compareValues(cell, x) == 0 {
				return true
			}
		}
		return false
	case "CONTAINS":
		return strings.Contains(fold(cell), fold(value))
	}
	return false
}
