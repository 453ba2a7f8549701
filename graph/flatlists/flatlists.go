// Package flatlists writes a list of objects straight to JSON when the
// query selects only their plain leaf fields. gqlgen marshals every element
// of an object list on a goroutine of its own, with a field context, a
// field set and the field middleware for each of its fields: for
// `interfaces { prestations { code } }` that machinery cost several times
// the data it wrote. Here a registered object's leaf fields are read from
// the Go value and written as gqlgen's scalar marshalers write them, so the
// answer is byte for byte what gqlgen writes.
//
// Only fields that cannot fail are registered (struct fields, no resolver,
// no directive): then no element can carry an error, and skipping their
// middleware loses nothing. Any other selection (a resolver field, @defer,
// a nil element) is left to gqlgen.
package flatlists

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// Field writes one leaf field of an element. A field whose value gqlgen
// could refuse (a NaN Float answers null beside an error) has ok: a list
// holding one element it refuses is left to gqlgen, error and all.
type Field[T any] struct {
	write func(io.Writer, *T)
	ok    func(*T) bool
}

// Object registers a GraphQL object bound to the Go type T and the leaf
// fields that may be written directly, by GraphQL name.
type Object[T any] struct {
	name   []string // the object, as CollectFields takes it
	fields map[string]Field[T]
}

// New registers the object name, bound to T, with its leaf fields.
func New[T any](name string, fields map[string]Field[T]) *Object[T] {
	return &Object[T]{name: []string{name}, fields: fields}
}

// Lister is an Object of any type.
type Lister interface {
	// Leaves names the object and its registered fields.
	Leaves() (object string, fields []string)
	marshal(ctx context.Context, res any) (graphql.Marshaler, bool)
}

// Extension is the gqlgen field interceptor that replaces a resolved list
// of a registered object by its JSON.
type Extension struct{ Objects []Lister }

var _ interface {
	graphql.HandlerExtension
	graphql.FieldInterceptor
} = Extension{}

// ExtensionName implements graphql.HandlerExtension.
func (Extension) ExtensionName() string { return "FlatLists" }

// Validate implements graphql.HandlerExtension.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptField implements graphql.FieldInterceptor. A resolved value
// that is a graphql.Marshaler is used by gqlgen as the field's JSON.
func (e Extension) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	if err != nil || res == nil {
		return res, err
	}
	for _, o := range e.Objects {
		if m, ok := o.marshal(ctx, res); ok {
			return m, nil
		}
	}
	return res, nil
}

// field is a selected field: its response key and how to write its value.
type field[T any] struct {
	alias string
	value func(io.Writer, *T)
}

// Leaves implements Lister.
func (o *Object[T]) Leaves() (string, []string) {
	return o.name[0], slices.Sorted(maps.Keys(o.fields))
}

func (o *Object[T]) marshal(ctx context.Context, res any) (graphql.Marshaler, bool) {
	list, ok := res.([]*T)
	if !ok || list == nil {
		return nil, false
	}
	for _, e := range list {
		if e == nil {
			return nil, false // gqlgen reports the null element
		}
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil, false
	}
	collected := graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, o.name)
	fields := make([]field[T], len(collected))
	for i, f := range collected {
		if f.IsDeferred() {
			return nil, false
		}
		value, known := o.fields[f.Name]
		if f.Name == "__typename" {
			value, known = typename[T](o.name[0]), true
		}
		if !known {
			return nil, false
		}
		if value.ok != nil {
			for _, e := range list {
				if !value.ok(e) {
					return nil, false
				}
			}
		}
		fields[i] = field[T]{alias: f.Alias, value: value.write}
	}
	return graphql.WriterFunc(func(w io.Writer) {
		w.Write(openBracket)
		for i, e := range list {
			if i > 0 {
				w.Write(comma)
			}
			w.Write(openBrace)
			for j, f := range fields {
				if j > 0 {
					w.Write(comma)
				}
				// A response key is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*):
				// nothing in it needs escaping.
				w.Write(quote)
				io.WriteString(w, f.alias)
				w.Write(quoteColon)
				f.value(w, e)
			}
			w.Write(closeBrace)
		}
		w.Write(closeBracket)
	}), true
}

var (
	openBracket  = []byte{'['}
	closeBracket = []byte{']'}
	openBrace    = []byte{'{'}
	closeBrace   = []byte{'}'}
	comma        = []byte{','}
	quote        = []byte{'"'}
	quoteColon   = []byte{'"', ':'}
)

func typename[T any](name string) Field[T] {
	return Field[T]{write: func(w io.Writer, _ *T) { writeString(w, name) }}
}

// String is a String! or ID! field.
func String[T any](get func(*T) string) Field[T] {
	return Field[T]{write: func(w io.Writer, e *T) { writeString(w, get(e)) }}
}

// Boolean is a Boolean! field.
func Boolean[T any](get func(*T) bool) Field[T] {
	return Field[T]{write: func(w io.Writer, e *T) { graphql.MarshalBoolean(get(e)).MarshalGQL(w) }}
}

// Enum is a non-null enum or custom scalar field written by its own
// MarshalGQL.
func Enum[T any, V graphql.Marshaler](get func(*T) V) Field[T] {
	return Field[T]{write: func(w io.Writer, e *T) { get(e).MarshalGQL(w) }}
}

// nullable writes get's value with write, null for nil.
func nullable[T, V any](get func(*T) *V, write func(io.Writer, V)) Field[T] {
	return Field[T]{write: func(w io.Writer, e *T) {
		if v := get(e); v != nil {
			write(w, *v)
			return
		}
		graphql.Null.MarshalGQL(w)
	}}
}

// NullString is a nullable String or ID field.
func NullString[T any](get func(*T) *string) Field[T] {
	return nullable(get, writeString)
}

// NullTime is a nullable DateTime field (gqlgen's graphql.Time).
func NullTime[T any](get func(*T) *time.Time) Field[T] {
	return nullable(get, func(w io.Writer, v time.Time) { graphql.MarshalTime(v).MarshalGQL(w) })
}

// NullInt is a nullable Int field.
func NullInt[T any](get func(*T) *int) Field[T] {
	return nullable(get, func(w io.Writer, v int) { io.WriteString(w, strconv.Itoa(v)) })
}

// NullFloat is a nullable Float field, written as gqlgen writes one
// (%g). NaN and infinities are gqlgen's to refuse.
func NullFloat[T any](get func(*T) *float64) Field[T] {
	f := nullable(get, func(w io.Writer, v float64) { fmt.Fprintf(w, "%g", v) })
	f.ok = func(e *T) bool {
		v := get(e)
		return v == nil || !(math.IsNaN(*v) || math.IsInf(*v, 0))
	}
	return f
}

// NullMarshaler is a nullable custom scalar written by its own MarshalGQL.
func NullMarshaler[T any, V graphql.Marshaler](get func(*T) *V) Field[T] {
	return nullable(get, func(w io.Writer, v V) { v.MarshalGQL(w) })
}

// writeString writes s as graphql.MarshalString does, without its closure
// when nothing in s needs escaping (the usual case).
func writeString(w io.Writer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '\\' || c == '"' {
			graphql.MarshalString(s).MarshalGQL(w)
			return
		}
	}
	w.Write(quote)
	io.WriteString(w, s)
	w.Write(quote)
}
