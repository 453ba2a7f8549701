// Package compat classifies the changes between two versions of the public
// schema the way GraphQL Inspector does: a breaking change fails an existing
// client, a dangerous one may change what it sees (a new enum value its
// switch does not handle), a safe one cannot hurt it. The schema tests use
// it to keep schema.lock.graphql honest (see lock_test.go).
package compat

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// Level is how much a change can hurt an existing client.
type Level int

// The levels, least harmful first.
const (
	Safe Level = iota
	Dangerous
	Breaking
)

func (l Level) String() string {
	return [...]string{"safe", "dangerous", "breaking"}[l]
}

// Change is one difference between two schemas.
type Change struct {
	Level Level
	// Coordinate names the changed element: `Type`, `Type.field`,
	// `Type.field(arg:)`, `Enum.VALUE`, `@directive`.
	Coordinate string
	Message    string
}

func (c Change) String() string {
	return fmt.Sprintf("%-9s %s: %s", c.Level, c.Coordinate, c.Message)
}

// Load parses and validates an SDL document as a schema.
func Load(name, sdl string) (*ast.Schema, error) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: name, Input: sdl})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Diff lists the changes from old to new, sorted by coordinate.
func Diff(old, new *ast.Schema) []Change {
	var d differ
	d.roots(old, new)
	for _, name := range sortedKeys(old.Types) {
		ot := old.Types[name]
		if ot.BuiltIn {
			continue
		}
		nt, ok := new.Types[name]
		if !ok {
			d.add(Breaking, name, "type removed")
			continue
		}
		d.typ(ot, nt)
	}
	for _, name := range sortedKeys(new.Types) {
		if _, ok := old.Types[name]; !ok && !new.Types[name].BuiltIn {
			d.add(Safe, name, "type added")
		}
	}
	for _, name := range sortedKeys(old.Directives) {
		od := old.Directives[name]
		if od.Position != nil && od.Position.Src != nil && od.Position.Src.BuiltIn {
			continue
		}
		nd, ok := new.Directives[name]
		if !ok {
			d.add(Breaking, "@"+name, "directive removed")
			continue
		}
		d.directive(od, nd)
	}
	for _, name := range sortedKeys(new.Directives) {
		if _, ok := old.Directives[name]; !ok {
			d.add(Safe, "@"+name, "directive added")
		}
	}
	sort.SliceStable(d.changes, func(i, j int) bool { return d.changes[i].Coordinate < d.changes[j].Coordinate })
	return d.changes
}

// BreakingOnly returns the breaking changes of cs.
func BreakingOnly(cs []Change) []Change {
	var out []Change
	for _, c := range cs {
		if c.Level == Breaking {
			out = append(out, c)
		}
	}
	return out
}

type differ struct{ changes []Change }

func (d *differ) add(l Level, coord, format string, args ...any) {
	d.changes = append(d.changes, Change{Level: l, Coordinate: coord, Message: fmt.Sprintf(format, args...)})
}

func (d *differ) roots(old, new *ast.Schema) {
	for _, r := range []struct {
		op       string
		old, new *ast.Definition
	}{{"query", old.Query, new.Query}, {"mutation", old.Mutation, new.Mutation}, {"subscription", old.Subscription, new.Subscription}} {
		on, nn := defName(r.old), defName(r.new)
		switch {
		case on == nn:
		case on == "":
			d.add(Safe, "schema."+r.op, "root type %s added", nn)
		default:
			d.add(Breaking, "schema."+r.op, "root type changed from %q to %q", on, nn)
		}
	}
}

func defName(d *ast.Definition) string {
	if d == nil {
		return ""
	}
	return d.Name
}

func (d *differ) typ(ot, nt *ast.Definition) {
	name := ot.Name
	if ot.Kind != nt.Kind {
		d.add(Breaking, name, "kind changed from %s to %s", ot.Kind, nt.Kind)
		return
	}
	if ot.Description != nt.Description {
		d.add(Safe, name, "description changed")
	}
	switch ot.Kind {
	case ast.Object, ast.Interface:
		d.outputFields(name, ot.Fields, nt.Fields)
		for _, i := range ot.Interfaces {
			if !slices.Contains(nt.Interfaces, i) {
				d.add(Breaking, name, "no longer implements %s", i)
			}
		}
		for _, i := range nt.Interfaces {
			if !slices.Contains(ot.Interfaces, i) {
				d.add(Dangerous, name, "now implements %s", i)
			}
		}
	case ast.InputObject:
		d.inputFields(name, ot.Fields, nt.Fields)
	case ast.Enum:
		for _, v := range ot.EnumValues {
			nv := nt.EnumValues.ForName(v.Name)
			if nv == nil {
				d.add(Breaking, name+"."+v.Name, "enum value removed")
				continue
			}
			d.deprecation(name+"."+v.Name, v.Directives, nv.Directives)
		}
		for _, v := range nt.EnumValues {
			if ot.EnumValues.ForName(v.Name) == nil {
				d.add(Dangerous, name+"."+v.Name, "enum value added (a client's exhaustive switch may not handle it)")
			}
		}
	case ast.Union:
		for _, m := range ot.Types {
			if !slices.Contains(nt.Types, m) {
				d.add(Breaking, name, "union member %s removed", m)
			}
		}
		for _, m := range nt.Types {
			if !slices.Contains(ot.Types, m) {
				d.add(Dangerous, name, "union member %s added", m)
			}
		}
	}
}

func (d *differ) outputFields(typeName string, old, new ast.FieldList) {
	for _, of := range old {
		coord := typeName + "." + of.Name
		nf := new.ForName(of.Name)
		if nf == nil {
			d.add(Breaking, coord, "field removed")
			continue
		}
		if !safeOutputChange(of.Type, nf.Type) {
			d.add(Breaking, coord, "type changed from %s to %s", of.Type, nf.Type)
		} else if of.Type.String() != nf.Type.String() {
			d.add(Safe, coord, "type changed from %s to %s", of.Type, nf.Type)
		}
		if of.Description != nf.Description {
			d.add(Safe, coord, "description changed")
		}
		d.deprecation(coord, of.Directives, nf.Directives)
		d.arguments(coord, of.Arguments, nf.Arguments)
	}
	for _, nf := range new {
		if old.ForName(nf.Name) == nil {
			d.add(Safe, typeName+"."+nf.Name, "field added")
		}
	}
}

func (d *differ) inputFields(typeName string, old, new ast.FieldList) {
	for _, of := range old {
		coord := typeName + "." + of.Name
		nf := new.ForName(of.Name)
		if nf == nil {
			d.add(Breaking, coord, "input field removed")
			continue
		}
		d.inputValue(coord, of.Type, nf.Type, of.DefaultValue, nf.DefaultValue)
		d.deprecation(coord, of.Directives, nf.Directives)
	}
	for _, nf := range new {
		if old.ForName(nf.Name) == nil {
			coord := typeName + "." + nf.Name
			if nf.Type.NonNull && nf.DefaultValue == nil {
				d.add(Breaking, coord, "required input field added")
			} else {
				d.add(Dangerous, coord, "optional input field added")
			}
		}
	}
}

func (d *differ) arguments(fieldCoord string, old, new ast.ArgumentDefinitionList) {
	for _, oa := range old {
		coord := argCoord(fieldCoord, oa.Name)
		na := new.ForName(oa.Name)
		if na == nil {
			d.add(Breaking, coord, "argument removed")
			continue
		}
		d.inputValue(coord, oa.Type, na.Type, oa.DefaultValue, na.DefaultValue)
		d.deprecation(coord, oa.Directives, na.Directives)
	}
	for _, na := range new {
		if old.ForName(na.Name) == nil {
			coord := argCoord(fieldCoord, na.Name)
			if na.Type.NonNull && na.DefaultValue == nil {
				d.add(Breaking, coord, "required argument added")
			} else {
				d.add(Dangerous, coord, "optional argument added")
			}
		}
	}
}

func argCoord(fieldCoord, arg string) string { return fieldCoord + "(" + arg + ":)" }

func (d *differ) inputValue(coord string, ot, nt *ast.Type, odef, ndef *ast.Value) {
	if !safeInputChange(ot, nt) {
		d.add(Breaking, coord, "type changed from %s to %s", ot, nt)
	} else if ot.String() != nt.String() {
		d.add(Safe, coord, "type changed from %s to %s", ot, nt)
	}
	if valueString(odef) != valueString(ndef) {
		d.add(Dangerous, coord, "default value changed from %s to %s", valueString(odef), valueString(ndef))
	}
}

func valueString(v *ast.Value) string {
	if v == nil {
		return "none"
	}
	return v.String()
}

func (d *differ) deprecation(coord string, old, new ast.DirectiveList) {
	od, nd := old.ForName("deprecated"), new.ForName("deprecated")
	switch {
	case od == nil && nd != nil:
		d.add(Safe, coord, "deprecated")
	case od != nil && nd == nil:
		d.add(Dangerous, coord, "no longer deprecated")
	}
}

func (d *differ) directive(od, nd *ast.DirectiveDefinition) {
	coord := "@" + od.Name
	for _, l := range od.Locations {
		if !slices.Contains(nd.Locations, l) {
			d.add(Breaking, coord, "location %s removed", l)
		}
	}
	for _, l := range nd.Locations {
		if !slices.Contains(od.Locations, l) {
			d.add(Safe, coord, "location %s added", l)
		}
	}
	d.arguments(coord, od.Arguments, nd.Arguments)
}

// safeOutputChange: a client reading a field copes with it becoming
// stricter (nullable to non-null), never with it becoming looser or
// another type.
func safeOutputChange(old, new *ast.Type) bool {
	switch {
	case old.NonNull && !new.NonNull:
		return false
	case !old.NonNull && new.NonNull:
		return safeOutputChange(old, nullable(new))
	case old.Elem != nil || new.Elem != nil:
		return old.Elem != nil && new.Elem != nil && safeOutputChange(old.Elem, new.Elem)
	}
	return old.NamedType == new.NamedType
}

// safeInputChange: a client sending an argument copes with it becoming
// looser (non-null to nullable), never with it becoming stricter.
func safeInputChange(old, new *ast.Type) bool {
	switch {
	case !old.NonNull && new.NonNull:
		return false
	case old.NonNull && !new.NonNull:
		return safeInputChange(nullable(old), new)
	case old.Elem != nil || new.Elem != nil:
		return old.Elem != nil && new.Elem != nil && safeInputChange(old.Elem, new.Elem)
	}
	return old.NamedType == new.NamedType
}

func nullable(t *ast.Type) *ast.Type {
	c := *t
	c.NonNull = false
	return &c
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Unrecorded returns the breaking changes whose coordinate the changelog's
// Unreleased section does not name in backquotes (“`Call.recordingUrl`”).
func Unrecorded(breaking []Change, changelog string) []Change {
	section := UnreleasedSection(changelog)
	var out []Change
	for _, c := range breaking {
		if !strings.Contains(section, "`"+c.Coordinate+"`") {
			out = append(out, c)
		}
	}
	return out
}

// UnreleasedSection returns the text of the changelog's `## [Unreleased]`
// section, up to the next `## ` heading ("" when it has none).
func UnreleasedSection(changelog string) string {
	var b strings.Builder
	in := false
	for line := range strings.Lines(changelog) {
		if strings.HasPrefix(line, "## ") {
			if in {
				break
			}
			in = strings.HasPrefix(strings.ToLower(strings.TrimSpace(line)), "## [unreleased]")
			continue
		}
		if in {
			b.WriteString(line)
		}
	}
	return b.String()
}

// Regenerate is the command that rewrites the lock from the schema.
const Regenerate = "make schema-lock"

// Check is the CI gate. lock must be the current schema (else: run
// Regenerate); every breaking change from baseline (the lock as last
// released, "" when there is none) to lock must be named by its coordinate
// in the changelog's Unreleased section. Dangerous changes are returned for
// the log.
func Check(baselineName, baseline, lock, current, changelog string) (dangerous []Change, err error) {
	lockSchema, err := Load("schema.lock.graphql", lock)
	if err != nil {
		return nil, fmt.Errorf("schema.lock.graphql: %w (run `%s`)", err, Regenerate)
	}
	if lock != current {
		cur, err := Load("schema", current)
		if err != nil {
			return nil, fmt.Errorf("the current schema: %w", err)
		}
		return nil, fmt.Errorf("schema.lock.graphql is not the current schema; run `%s` and commit it "+
			"(a breaking change also needs its coordinate in CHANGELOG.md's Unreleased section). Changes:\n%s",
			Regenerate, list(Diff(lockSchema, cur)))
	}
	if baseline == "" {
		return nil, nil
	}
	base, err := Load(baselineName, baseline)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", baselineName, err)
	}
	changes := Diff(base, lockSchema)
	for _, c := range changes {
		if c.Level == Dangerous {
			dangerous = append(dangerous, c)
		}
	}
	if missing := Unrecorded(BreakingOnly(changes), changelog); len(missing) > 0 {
		return dangerous, fmt.Errorf("breaking schema changes since %s are not recorded in CHANGELOG.md: "+
			"name each coordinate in backquotes under `## [Unreleased]` (e.g. \"- `%s`: what changed and what clients do\"); "+
			"to retire a field without breaking clients, mark it @deprecated(reason:) instead:\n%s",
			baselineName, missing[0].Coordinate, list(missing))
	}
	return dangerous, nil
}

func list(cs []Change) string {
	if len(cs) == 0 {
		return "  (no change to types, fields, arguments or values: text only)"
	}
	var b strings.Builder
	for _, c := range cs {
		b.WriteString("  " + c.String() + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
