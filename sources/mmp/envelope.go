package mmp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Errors is the envelope's errors member. MMP sends [] when there is none,
// an object of field → messages on validation failures, and sometimes a
// bare list or a field → message string; all decode into this map (list
// items under the "" key).
type Errors map[string][]string

// UnmarshalJSON implements json.Unmarshaler, accepting every shape above.
func (e *Errors) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	out := Errors{}
	switch {
	case bytes.Equal(b, []byte("null")):
	case len(b) > 0 && b[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		for _, it := range items {
			out[""] = append(out[""], messages(it)...)
		}
	case len(b) > 0 && b[0] == '{':
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(b, &fields); err != nil {
			return err
		}
		for k, v := range fields {
			out[k] = messages(v)
		}
	default:
		out[""] = messages(b)
	}
	if len(out) == 0 {
		out = nil
	}
	*e = out
	return nil
}

// messages flattens one errors value: a string, a list of strings, or
// anything else kept as its JSON text.
func messages(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		var out []string
		for _, it := range list {
			out = append(out, messages(it)...)
		}
		return out
	}
	return []string{string(raw)}
}

// String renders the errors as "field: msg; other: msg", fields sorted.
func (e Errors) String() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		msg := strings.Join(e[k], ", ")
		if msg == "" {
			continue
		}
		if k != "" {
			msg = k + ": " + msg
		}
		parts = append(parts, msg)
	}
	return strings.Join(parts, "; ")
}

// envelope is MMP's answer wrapper: {success, data, message, errors}.
type envelope struct {
	Success bool
	Data    json.RawMessage
	Message string
	Errors  Errors
}

var errNoEnvelope = errors.New("not an MMP envelope")

// decodeEnvelope parses an answer body. It fails on anything that is not a
// JSON object carrying a boolean success (HTML pages, truncated JSON, bare
// arrays), so callers can report an invalid response.
func decodeEnvelope(body []byte) (*envelope, error) {
	var raw struct {
		Success *bool           `json:"success"`
		Data    json.RawMessage `json:"data"`
		Message json.RawMessage `json:"message"`
		Errors  Errors          `json:"errors"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("%w: %w", errNoEnvelope, err)
	}
	if raw.Success == nil {
		return nil, fmt.Errorf("%w: no success flag", errNoEnvelope)
	}
	env := &envelope{Success: *raw.Success, Data: raw.Data, Errors: raw.Errors}
	if msgs := messages(raw.Message); len(msgs) > 0 {
		env.Message = strings.Join(msgs, ", ")
	}
	return env, nil
}

// describe is the message of a refused envelope: the upstream's message and
// the validation errors, if any.
func (e *envelope) describe() string {
	msg := strings.TrimSpace(e.Message)
	if detail := e.Errors.String(); detail != "" {
		if msg == "" {
			return detail
		}
		msg += " (" + detail + ")"
	}
	if msg == "" {
		msg = "request refused"
	}
	return msg
}

// errorMessage is the upstream.Client ErrorMessage hook: it reads the
// envelope or the OAuth error body of a non-2xx answer.
func errorMessage(_ int, body []byte) string {
	if env, err := decodeEnvelope(body); err == nil {
		return env.describe()
	}
	var te struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		Message          string `json:"message"`
	}
	if json.Unmarshal(body, &te) != nil {
		return ""
	}
	for _, m := range []string{te.Message, te.ErrorDescription, te.Error} {
		if m != "" {
			return m
		}
	}
	return ""
}
