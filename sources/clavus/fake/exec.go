package fake

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// obj is a resolved GraphQL object: each field holds either its value or a
// resolver (func(args) (any, error)) run only when the field is selected.
type obj map[string]any

type resolver func(args map[string]any) (any, error)

// itemError stands in for a list item whose resolution failed: the item
// becomes null and the error is reported at the item's path.
type itemError struct{ err *gqlerror.Error }

// orderedMap keeps response keys in selection order, as GraphQL requires.
type orderedMap struct {
	keys []string
	vals map[string]any
}

func (m *orderedMap) set(k string, v any) {
	if m.vals == nil {
		m.vals = map[string]any{}
	}
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

// MarshalJSON writes the whole tree into one buffer: marshalling each
// level separately would re-encode and re-validate every nested object once
// per level above it.
func (m *orderedMap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := m.encode(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (m *orderedMap) encode(b *bytes.Buffer) error {
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		if err := encodeValue(b, m.vals[k]); err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

func encodeValue(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case *orderedMap:
		if v == nil {
			b.WriteString("null")
			return nil
		}
		return v.encode(b)
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encodeValue(b, x); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	vb, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(vb)
	return nil
}

// executor walks a validated operation over resolved objects, following the
// spec's null propagation: a null in a non-null position nulls the nearest
// nullable parent.
type executor struct {
	schema *ast.Schema
	vars   map[string]any
	errs   gqlerror.List
	// fields memoizes collect for one selection set and type: every item
	// of a list shares its field's selection set, so a page of folders
	// collects each level once instead of once per object.
	fields map[collectKey][]*field
}

type collectKey struct {
	set      *ast.Selection // the selection set's backing array
	n        int
	typeName string
}

// fieldsOf is collect for an object's own selection set, memoized.
func (e *executor) fieldsOf(set ast.SelectionSet, typeName string) []*field {
	if len(set) == 0 {
		return nil
	}
	k := collectKey{&set[0], len(set), typeName}
	if fs, ok := e.fields[k]; ok {
		return fs
	}
	fs := e.collect(set, typeName, nil, map[string]*field{})
	if e.fields == nil {
		e.fields = map[collectKey][]*field{}
	}
	e.fields[k] = fs
	return fs
}

func (e *executor) addErr(err *gqlerror.Error, path ast.Path) {
	err.Path = append(ast.Path(nil), path...)
	e.errs = append(e.errs, err)
}

// field groups the fields sharing one response key (their selection sets
// are merged, as the spec's CollectFields does).
type field struct {
	key    string
	first  *ast.Field
	subSel ast.SelectionSet
}

func (e *executor) collect(set ast.SelectionSet, typeName string, out []*field, seen map[string]*field) []*field {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !e.included(s.Directives) {
				continue
			}
			key := s.Alias
			if key == "" {
				key = s.Name
			}
			if f, ok := seen[key]; ok {
				f.subSel = append(f.subSel, s.SelectionSet...)
				continue
			}
			f := &field{key: key, first: s, subSel: append(ast.SelectionSet(nil), s.SelectionSet...)}
			seen[key] = f
			out = append(out, f)
		case *ast.InlineFragment:
			if e.included(s.Directives) && (s.TypeCondition == "" || s.TypeCondition == typeName) {
				out = e.collect(s.SelectionSet, typeName, out, seen)
			}
		case *ast.FragmentSpread:
			if e.included(s.Directives) && s.Definition != nil && s.Definition.TypeCondition == typeName {
				out = e.collect(s.Definition.SelectionSet, typeName, out, seen)
			}
		}
	}
	return out
}

// included applies @skip and @include.
func (e *executor) included(dirs ast.DirectiveList) bool {
	if d := dirs.ForName("skip"); d != nil {
		if v, _ := d.ArgumentMap(e.vars)["if"].(bool); v {
			return false
		}
	}
	if d := dirs.ForName("include"); d != nil {
		if v, _ := d.ArgumentMap(e.vars)["if"].(bool); !v {
			return false
		}
	}
	return true
}

// object resolves set on o; ok is false when a non-null field came out null.
func (e *executor) object(o obj, typeName string, set ast.SelectionSet, path ast.Path) (*orderedMap, bool) {
	out := &orderedMap{}
	for _, f := range e.fieldsOf(set, typeName) {
		fpath := append(path[:len(path):len(path)], ast.PathName(f.key))
		if f.first.Name == "__typename" {
			out.set(f.key, typeName)
			continue
		}
		def := f.first.Definition
		raw, present := o[f.first.Name]
		var v any
		reported := false
		switch {
		case !present || def == nil:
			e.addErr(gqlerror.Errorf("field %s is not available", f.first.Name), fpath)
			reported = true
		default:
			if fn, isFn := raw.(resolver); isFn {
				var err error
				v, err = fn(f.first.ArgumentMap(e.vars))
				if err != nil {
					e.addErr(asGQLError(err), fpath)
					v, reported = nil, true
				}
			} else {
				v = raw
			}
		}
		var typ *ast.Type
		if def != nil {
			typ = def.Type
		} else {
			typ = &ast.Type{NamedType: "String"}
		}
		cv, ok := e.complete(typ, v, f.subSel, fpath, reported)
		if !ok {
			return nil, false
		}
		out.set(f.key, cv)
	}
	return out, true
}

// complete shapes v as t; ok is false when the null must propagate upward.
func (e *executor) complete(t *ast.Type, v any, set ast.SelectionSet, path ast.Path, reported bool) (any, bool) {
	if ie, isErr := v.(itemError); isErr {
		e.addErr(ie.err, path)
		v, reported = nil, true
	}
	if v == nil {
		if t.NonNull {
			if !reported {
				e.addErr(gqlerror.Errorf("Cannot return null for non-nullable field"), path)
			}
			return nil, false
		}
		return nil, true
	}
	if t.Elem != nil {
		items, isList := v.([]any)
		if !isList {
			e.addErr(gqlerror.Errorf("internal: expected a list"), path)
			return nil, !t.NonNull
		}
		out := make([]any, len(items))
		for i, it := range items {
			c, ok := e.complete(t.Elem, it, set, append(path[:len(path):len(path)], ast.PathIndex(i)), false)
			if !ok {
				return nil, !t.NonNull
			}
			out[i] = c
		}
		return out, true
	}
	def := e.schema.Types[t.NamedType]
	if def != nil && def.Kind == ast.Object {
		o, isObj := v.(obj)
		if !isObj {
			e.addErr(gqlerror.Errorf("internal: expected an object"), path)
			return nil, !t.NonNull
		}
		m, ok := e.object(o, def.Name, set, path)
		if !ok {
			return nil, !t.NonNull
		}
		return m, true
	}
	return v, true
}

func asGQLError(err error) *gqlerror.Error {
	if ge, ok := err.(*gqlerror.Error); ok {
		return ge
	}
	return gqlerror.Errorf("%s", err.Error())
}

// codeErr is a GraphQL error with extensions.code, as Apollo-style servers
// (Clavus runs one) send them.
func codeErr(code, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": code}}
}
