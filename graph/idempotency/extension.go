package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"reflect"
	"unicode"

	"github.com/99designs/gqlgen/graphql"

	"switchboard/graph/errs"
)

// ArgName is the argument that marks a mutation with a side effect: every
// Mutation field that declares it runs under the client's key.
const ArgName = "idempotencyKey"

// HeaderName is the HTTP header carrying a key for a one-mutation request.
const HeaderName = "Idempotency-Key"

// Hook adds one mutation's own rules.
type Hook struct {
	// Natural returns the request's domain key (Shop guid), "" when none;
	// reusing it for another request is BAD_USER_INPUT with Field and Rule.
	Natural     func(args map[string]any) string
	Field, Rule string
	// Source is the upstream the mutation calls (see Call.Source).
	Source string
	// Meta and Settle settle an unknown outcome later (see Call).
	Meta   func(args map[string]any) map[string]string
	Settle func(ctx context.Context, meta map[string]string) (any, bool, error)
}

// Extension is the gqlgen field interceptor running each mutation that has
// an idempotencyKey argument through Service.
type Extension struct {
	Service *Service
	// Root is the generated ResolverRoot interface type: a replayed answer
	// is decoded into the type the mutation's resolver returns.
	Root  reflect.Type
	Hooks map[string]Hook

	answers map[string]reflect.Type
}

var (
	_ graphql.HandlerExtension = (*Extension)(nil)
	_ graphql.FieldInterceptor = (*Extension)(nil)
)

// ExtensionName implements graphql.HandlerExtension.
func (e *Extension) ExtensionName() string { return "Idempotency" }

// Validate implements graphql.HandlerExtension: it reads the answer types.
func (e *Extension) Validate(graphql.ExecutableSchema) error {
	e.answers = map[string]reflect.Type{}
	if e.Root == nil || e.Root.Kind() != reflect.Interface {
		return nil
	}
	m, ok := e.Root.MethodByName("Mutation")
	if !ok || m.Type.NumOut() != 1 {
		return nil
	}
	it := m.Type.Out(0)
	for i := range it.NumMethod() {
		fm := it.Method(i)
		if fm.Type.NumOut() == 2 {
			r := []rune(fm.Name)
			r[0] = unicode.ToLower(r[0])
			e.answers[string(r)] = fm.Type.Out(0)
		}
	}
	return nil
}

// InterceptField implements graphql.FieldInterceptor.
func (e *Extension) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if e.Service == nil || fc == nil || fc.Object != "Mutation" || fc.Field.Field == nil || fc.Field.Definition == nil ||
		fc.Field.Definition.Arguments.ForName(ArgName) == nil {
		return next(ctx)
	}
	op := fc.Field.Name
	key, err := clientKey(ctx, fc.Args)
	if err != nil {
		return nil, err
	}
	args, err := fingerprintArgs(fc.Args)
	if err != nil {
		return nil, err
	}
	h := e.Hooks[op]
	c := Call{Op: op, Args: args, Key: key, Answer: e.answers[op], Source: h.Source}
	run := func(ctx context.Context) (any, error) { return next(ctx) }
	if h.Natural != nil {
		if nk := h.Natural(fc.Args); nk != "" {
			inner := run
			nc := Call{Op: op, Args: args, Natural: nk, Field: h.Field, Rule: h.Rule, Answer: c.Answer, Source: h.Source}
			run = func(ctx context.Context) (any, error) { return e.Service.Do(ctx, nc, inner) }
		}
	}
	if h.Meta != nil {
		c.Meta, c.Settle = h.Meta(fc.Args), h.Settle
	}
	return e.Service.Do(ctx, c, run)
}

// clientKey is the idempotencyKey argument, else the Idempotency-Key
// header, which only a request holding one such mutation may send.
func clientKey(ctx context.Context, args map[string]any) (string, error) {
	header := Header(ctx)
	if arg, _ := args[ArgName].(*string); arg != nil {
		if err := CheckKey(ArgName, *arg); err != nil {
			return "", err
		}
		if header != "" && header != *arg {
			return "", errs.BadInput(ArgName, "%s: differs from the %s header", ArgName, HeaderName)
		}
		return *arg, nil
	}
	if header == "" {
		return "", nil
	}
	if err := CheckKey(HeaderName, header); err != nil {
		return "", err
	}
	if inBatch(ctx) || sideEffects(ctx) > 1 {
		return "", &errs.Error{Code: errs.BadUserInput, Field: HeaderName, Rule: "several_mutations",
			Message: HeaderName + ": the request holds several operations or mutations with side effects; give each its own idempotencyKey argument"}
	}
	return header, nil
}

// sideEffects counts the operation's root fields that take a key.
func sideEffects(ctx context.Context) int {
	if !graphql.HasOperationContext(ctx) {
		return 0
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil {
		return 0
	}
	n := 0
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Mutation"}) {
		if f.Definition != nil && f.Definition.Arguments.ForName(ArgName) != nil {
			n++
		}
	}
	return n
}

// fingerprintArgs are the arguments that make two requests the same: the
// key left out, an upload replaced by its name, size and SHA-256.
func fingerprintArgs(args map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(args))
	for k, v := range args {
		if k == ArgName {
			continue
		}
		if u, ok := v.(graphql.Upload); ok {
			d, err := digest(u)
			if err != nil {
				return nil, errs.BadInput(k, "%s: the upload could not be read", k)
			}
			v = map[string]any{"filename": u.Filename, "size": u.Size, "sha256": d}
		}
		out[k] = v
	}
	return out, nil
}

func digest(u graphql.Upload) (string, error) {
	if u.File == nil {
		return "", nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, u.File); err != nil {
		return "", err
	}
	if _, err := u.File.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
