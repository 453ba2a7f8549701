// Package env reads one source's variables: a source is configured whole or
// not at all, since a half-set source is a mistake, not a choice.
package env

import (
	"fmt"
	"strings"
	"time"
)

// Var is one required variable and where its value goes.
type Var struct {
	Name string
	Dst  *string
}

// Group fills every Dst from getenv (trimmed). It reports false when none
// is set, and an error naming the unset ones (never a value) when only
// some are.
func Group(getenv func(string) string, vars ...Var) (bool, error) {
	var set string
	var missing []string
	for _, v := range vars {
		*v.Dst = strings.TrimSpace(getenv(v.Name))
		switch {
		case *v.Dst == "":
			missing = append(missing, v.Name)
		case set == "":
			set = v.Name
		}
	}
	switch len(missing) {
	case 0:
		return true, nil
	case len(vars):
		return false, nil
	}
	return false, fmt.Errorf("partly configured source: %s set but %s unset", set, strings.Join(missing, ", "))
}

// Duration reads an optional positive duration like 5s (zero when unset).
func Duration(getenv func(string) string, name string) (time.Duration, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: want a positive duration like 5s, got %q", name, v)
	}
	return d, nil
}
