package mmp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// decode reads MMP JSON into out (a pointer) as a tolerant reader: every
// struct field is read from the first of the names its `mmp` tag lists, and
// values are taken in every plausible type (see decodeValue). A key no
// field knows is logged once per process, so a new upstream version or a
// reading we did not foresee is noticed.
func decode(data []byte, out any) error {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return errors.New("mmp: decode needs a non-nil pointer")
	}
	return decodeValue(bytes.TrimSpace(data), v.Elem(), reflect.TypeOf(out).Elem().Name())
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

func isNull(b []byte) bool { return len(b) == 0 || bytes.Equal(b, []byte("null")) }

// decodeValue sets v from b. Accepted variants: null (and an absent key) is
// the zero value (nil for pointers); numbers may come as strings ("52032",
// "297,79"); strings may come as numbers; booleans as 1/0 or "1"/"0",
// "true"/"false", "oui"/"non"; an empty PHP array [] stands for an empty
// object, and an object keyed "0", "1"... for a list.
func decodeValue(b []byte, v reflect.Value, where string) error {
	b = bytes.TrimSpace(b)
	if v.Kind() == reflect.Pointer {
		if isNull(b) {
			v.SetZero()
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := decodeValue(b, p.Elem(), where); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	if v.Type() == rawMessageType {
		if isNull(b) {
			v.SetZero()
			return nil
		}
		v.SetBytes(bytes.Clone(b))
		return nil
	}
	if v.Addr().Type().Implements(unmarshalerType) {
		if isNull(b) {
			v.SetZero()
			return nil
		}
		return v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(b)
	}
	if isNull(b) {
		v.SetZero()
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		s, err := scalarText(b)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		v.SetString(s)
	case reflect.Int, reflect.Int64:
		s, err := scalarText(b)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		n, err := parseInt(s)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		v.SetInt(n)
	case reflect.Float64:
		s, err := scalarText(b)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		f, err := parseFloat(s)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		v.SetFloat(f)
	case reflect.Bool:
		s, err := scalarText(b)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		t, err := parseBool(s)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		v.SetBool(t)
	case reflect.Slice:
		return decodeSlice(b, v, where)
	case reflect.Struct:
		return decodeStruct(b, v, where)
	default:
		return fmt.Errorf("%s: cannot read into %s", where, v.Type())
	}
	return nil
}

// scalarText is a JSON string's text, or a number's or boolean's literal.
func scalarText(b []byte) (string, error) {
	switch b[0] {
	case '"':
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	case '{', '[':
		return "", errors.New("want a value, got an object or list")
	}
	return string(b), nil
}

func parseInt(s string) (int64, error) {
	s = strings.Join(strings.Fields(s), "")
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	// 52032.0 is an integer written as a float.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) {
		return int64(f), nil
	}
	return 0, fmt.Errorf("bad integer %q", s)
}

func parseFloat(s string) (float64, error) {
	s = strings.ReplaceAll(strings.Join(strings.Fields(s), ""), ",", ".")
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return f, nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "oui", "yes", "o", "y":
		return true, nil
	case "false", "0", "non", "no", "n", "":
		return false, nil
	}
	return false, fmt.Errorf("bad boolean %q", s)
}

func decodeSlice(b []byte, v reflect.Value, where string) error {
	var items []json.RawMessage
	switch b[0] {
	case '[':
		if err := json.Unmarshal(b, &items); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	case '{':
		// A PHP array with holes is encoded as an object keyed by index.
		var byKey map[string]json.RawMessage
		if err := json.Unmarshal(b, &byKey); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			if _, err := strconv.Atoi(k); err != nil {
				return fmt.Errorf("%s: want a list, got an object", where)
			}
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, _ := strconv.Atoi(keys[i])
			b, _ := strconv.Atoi(keys[j])
			return a < b
		})
		for _, k := range keys {
			items = append(items, byKey[k])
		}
	default:
		return fmt.Errorf("%s: want a list", where)
	}
	out := reflect.MakeSlice(v.Type(), len(items), len(items))
	for i, it := range items {
		if err := decodeValue(it, out.Index(i), where); err != nil {
			return err
		}
	}
	v.Set(out)
	return nil
}

// structFields caches, per struct type, each field's accepted names.
var structFields sync.Map // reflect.Type -> []fieldNames

type fieldNames struct {
	index []int
	names []string
}

// fieldsOf lists t's tagged fields, those of embedded structs included.
func fieldsOf(t reflect.Type) []fieldNames {
	if f, ok := structFields.Load(t); ok {
		return f.([]fieldNames)
	}
	var out []fieldNames
	for _, f := range reflect.VisibleFields(t) {
		if tag := f.Tag.Get("mmp"); tag != "" {
			out = append(out, fieldNames{f.Index, strings.Split(tag, ",")})
		}
	}
	structFields.Store(t, out)
	return out
}

func decodeStruct(b []byte, v reflect.Value, where string) error {
	if bytes.Equal(b, []byte("[]")) {
		v.SetZero()
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("%s: want an object: %w", where, err)
	}
	t := v.Type()
	known := map[string]bool{}
	for _, f := range fieldsOf(t) {
		for _, name := range f.names {
			known[name] = true
		}
		for _, name := range f.names {
			raw, ok := obj[name]
			if !ok {
				continue
			}
			if err := decodeValue(raw, v.FieldByIndex(f.index), t.Name()+"."+name); err != nil {
				return err
			}
			break
		}
	}
	for k := range obj {
		if !known[k] {
			unknownField(t.Name(), k)
		}
	}
	return nil
}

var unknownSeen sync.Map // "Type.key" -> struct{}

// unknownField logs, once per process, a key MMP sent that no field reads.
func unknownField(typ, key string) {
	if _, dup := unknownSeen.LoadOrStore(typ+"."+key, struct{}{}); dup {
		return
	}
	slog.Warn("mmp: field not read (unknown name)", "source", Source, "object", typ, "field", key)
}

// UnknownFields lists the "Type.key" names logged so far, sorted.
func UnknownFields() []string {
	var out []string
	unknownSeen.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	slices.Sort(out)
	return out
}
