// Package idempotency makes a mutation's side effect happen once per key,
// the convention of payment APIs: the client sends an Idempotency-Key
// header (or an idempotencyKey argument); the gateway records key →
// (request fingerprint, outcome, answer) durably, answers a repeat from the
// record (extensions.idempotentReplay), refuses the key with another
// request, and lets one of several concurrent duplicates call the upstream
// while the others wait for its answer. Keys are scoped to the API key;
// natural keys of the domain (a Shop guid) are shared by every API key.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"switchboard/graph/auth"
	"switchboard/graph/errs"
	"switchboard/sources/upstream"
)

// DefaultTTL is how long a key is remembered (SWITCHBOARD_IDEMPOTENCY_TTL).
const DefaultTTL = 24 * time.Hour

// MaxKeyLength bounds a client's key.
const MaxKeyLength = 255

// ReplayExtension is the response extension set on an answer served from
// a record.
const ReplayExtension = "idempotentReplay"

const (
	// noDeadlineLease is how long a claim lasts when the request has no deadline.
	noDeadlineLease = 5 * time.Minute
	// leaseGrace is added to the request's deadline: the claimer records
	// its outcome just after it.
	leaseGrace = 10 * time.Second
	// writeTimeout bounds recording an outcome after the request's own
	// deadline has passed.
	writeTimeout = 5 * time.Second
	pollFirst    = 20 * time.Millisecond
	pollMax      = 250 * time.Millisecond
)

// Service runs mutations under keys. A nil *Service runs them unguarded.
type Service struct {
	store Store
	ttl   time.Duration
	log   *slog.Logger
}

// New uses store, remembering keys for ttl (DefaultTTL when zero).
func New(store Store, ttl time.Duration, log *slog.Logger) *Service {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: store, ttl: ttl, log: log}
}

// Close closes the store.
func (s *Service) Close() error { return s.store.Close() }

// Call describes one guarded mutation.
type Call struct {
	// Op is the mutation's name; Args are what makes two requests the same
	// (marshalled to JSON for the fingerprint; the key itself excluded).
	Op   string
	Args any
	// Key is the client's key (scoped to its API key). Natural, when set
	// instead, is a key of the domain shared by every API key (Shop guid),
	// refused with Field and Rule when reused for another request.
	Key     string
	Natural string
	Field   string
	Rule    string
	// Answer is the Go type of the mutation's answer, to decode a replay.
	Answer reflect.Type
	// Source is the upstream the mutation calls, named by the error of a
	// request that waited for another holding its key past its deadline.
	Source string
	// Meta is kept with the record from the start, for Settle.
	Meta map[string]string
	// Settle, when the recorded outcome is unknown, looks for what really
	// happened (makeCall: the PBX's history); ok reports it found it, and
	// answer is then the mutation's answer.
	Settle func(ctx context.Context, meta map[string]string) (answer any, ok bool, err error)
}

type keyedCtx struct{}

// Keyed reports whether ctx runs a mutation under the client's own key:
// the client said a repeat is a new request.
func Keyed(ctx context.Context) bool { v, _ := ctx.Value(keyedCtx{}).(bool); return v }

type headerCtx struct{}

// WithHeader carries the request's Idempotency-Key header.
func WithHeader(ctx context.Context, key string) context.Context {
	if key == "" {
		return ctx
	}
	return context.WithValue(ctx, headerCtx{}, key)
}

type batchCtx struct{}

// InBatch marks one operation of a batch of several: the batch's header
// cannot tell which operation it keys.
func InBatch(ctx context.Context) context.Context { return context.WithValue(ctx, batchCtx{}, true) }

func inBatch(ctx context.Context) bool { v, _ := ctx.Value(batchCtx{}).(bool); return v }

// Header is the request's Idempotency-Key header, or "".
func Header(ctx context.Context) string { v, _ := ctx.Value(headerCtx{}).(string); return v }

// CheckKey refuses a key that is blank, too long or holds control characters.
func CheckKey(field, key string) error {
	switch {
	case strings.TrimSpace(key) == "":
		return errs.BadInput(field, "%s: must not be blank", field)
	case len(key) > MaxKeyLength:
		return errs.BadInput(field, "%s: at most %d bytes", field, MaxKeyLength)
	case strings.IndexFunc(key, unicode.IsControl) >= 0:
		return errs.BadInput(field, "%s: control characters are not allowed", field)
	}
	return nil
}

// Do runs run once per key: a repeat answers the recorded outcome.
func (s *Service) Do(ctx context.Context, c Call, run func(context.Context) (any, error)) (any, error) {
	var zero any
	if s == nil || (c.Key == "" && c.Natural == "") {
		return run(ctx)
	}
	key, fp, err := s.scope(ctx, c)
	if err != nil {
		return zero, err
	}
	lease := leaseFor(ctx)
	for delay := pollFirst; ; delay = min(delay*2, pollMax) {
		found, err := s.store.Claim(ctx, key, Record{Fingerprint: fp, Lease: lease, Meta: c.Meta}, s.ttl)
		if err != nil && ctx.Err() != nil {
			// The deadline ran out while asking the store: nothing ran here.
			return zero, timedOutWaiting(c.Source)
		}
		if err != nil {
			return zero, s.storeError(ctx, err)
		}
		if found == nil {
			return s.execute(ctx, c, key, fp, run)
		}
		if found.Fingerprint != fp {
			return zero, s.conflict(c)
		}
		if found.Done || time.Now().After(found.Lease) {
			return s.replay(ctx, c, key, found)
		}
		// Another request holds the key: wait for its answer, bounded by
		// this request's deadline.
		if err := wait(ctx, delay); err != nil {
			return zero, timedOutWaiting(c.Source)
		}
	}
}

func timedOutWaiting(source string) error {
	return stillRunning{&errs.Error{Code: errs.UpstreamTimeout, Source: source, Outcome: Unknown,
		Message: "a request with this idempotency key is still running; retry with the same key to get its answer"}}
}

// stillRunning is the answer of a request that waited for another one
// holding its key until its own deadline. It did not call the upstream
// itself, so an enclosing key (a client key around a natural key) is
// released rather than recorded with it.
type stillRunning struct{ err *errs.Error }

func (e stillRunning) Error() string { return e.err.Message }
func (e stillRunning) Unwrap() error { return e.err }

func (s *Service) scope(ctx context.Context, c Call) (key, fp string, err error) {
	args, err := json.Marshal(c.Args)
	if err != nil {
		return "", "", fmt.Errorf("idempotency: fingerprinting %s: %w", c.Op, err)
	}
	sum := sha256.Sum256(append([]byte(c.Op+"\x00"), args...))
	fp = hex.EncodeToString(sum[:])
	if c.Natural != "" {
		return "natural:" + c.Op + ":" + c.Natural, fp, nil
	}
	name := ""
	if p := auth.FromContext(ctx); p != nil {
		name = p.Name
	}
	return "key:" + name + ":" + c.Key, fp, nil
}

func (s *Service) conflict(c Call) error {
	if c.Natural != "" {
		return &errs.Error{Code: errs.BadUserInput, Field: c.Field, Rule: c.Rule,
			Message: fmt.Sprintf("%s: already used by another %s request", c.Field, c.Op)}
	}
	return &errs.Error{Code: errs.BadUserInput, Field: "idempotencyKey", Rule: "idempotency_key_reused",
		Message: "this idempotency key was used for a different request"}
}

func (s *Service) storeError(ctx context.Context, err error) error {
	s.log.ErrorContext(ctx, "idempotency store", "err", err)
	// Nothing was sent: the client may retry with the same key.
	return &errs.Error{Code: errs.Internal, Message: "the idempotency store is unavailable; nothing was sent"}
}

func leaseFor(ctx context.Context) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d.Add(leaseGrace)
	}
	return time.Now().Add(noDeadlineLease)
}

func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// execute calls the upstream under a claim and records what happened. A
// failure that never reached the upstream releases the claim, so the same
// key may be sent again; anything else is kept.
func (s *Service) execute(ctx context.Context, c Call, key, fp string, run func(context.Context) (any, error)) (any, error) {
	rctx := ctx
	if c.Key != "" {
		rctx = context.WithValue(ctx, keyedCtx{}, true)
	}
	v, err := run(rctx)
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	if err != nil && NotApplied(err) {
		if derr := s.store.Delete(wctx, key); derr != nil {
			s.log.WarnContext(ctx, "idempotency: releasing a key", "op", c.Op, "err", derr)
		}
		return v, err
	}
	rec := Record{Fingerprint: fp, Done: true, Meta: c.Meta}
	if err == nil {
		answer, merr := json.Marshal(v)
		if merr != nil {
			return v, merr
		}
		rec.Outcome, rec.Answer = Succeeded, answer
	} else {
		rec.Outcome, rec.Error = Failed, recordError(ctx, err)
		if rec.Error.Extensions["outcome"] == Unknown {
			rec.Outcome = Unknown
		}
	}
	if perr := s.store.Put(wctx, key, rec, s.ttl); perr != nil {
		// The claim stays until its lease lapses; a repeat then answers
		// an unknown outcome rather than calling the upstream again.
		s.log.ErrorContext(ctx, "idempotency: recording an outcome", "op", c.Op, "err", perr)
	}
	return v, err
}

// NotApplied reports whether err says nothing reached the upstream: the
// gateway or a source refused the input, the upstream was never reached, or
// it answered 429 (refused before doing anything).
func NotApplied(err error) bool {
	if errors.As(err, new(stillRunning)) {
		return true
	}
	var ge *errs.Error
	if errors.As(err, &ge) {
		return ge.Outcome == ""
	}
	if errors.As(err, new(*upstream.InputError)) {
		return true
	}
	var ue interface {
		UpstreamSent() bool
		UpstreamStatus() int
	}
	if errors.As(err, &ue) {
		return !ue.UpstreamSent() || ue.UpstreamStatus() == 429
	}
	return false
}

// recordError keeps the error as the client saw it.
func recordError(ctx context.Context, err error) *RecordedError {
	gqe := errs.Presenter(ctx, err)
	ext := make(map[string]any, len(gqe.Extensions))
	for k, v := range gqe.Extensions {
		ext[k] = v
	}
	return &RecordedError{Message: gqe.Message, Extensions: ext}
}

// replay answers from a record (settling an unknown outcome first when it
// can) and marks the response as replayed.
func (s *Service) replay(ctx context.Context, c Call, key string, rec *Record) (any, error) {
	if !rec.Done {
		// A claimer that never recorded its outcome: its call may have left.
		rec.Outcome = Unknown
		rec.Error = &RecordedError{Message: "the first request with this idempotency key ended without an answer; its outcome is unknown",
			Extensions: map[string]any{"code": errs.UpstreamTimeout, "outcome": Unknown}}
	}
	if rec.Outcome == Unknown && c.Settle != nil {
		answer, ok, err := c.Settle(ctx, rec.Meta)
		if err != nil {
			s.log.WarnContext(ctx, "idempotency: settling an unknown outcome", "op", c.Op, "err", err)
		}
		if ok {
			b, err := json.Marshal(answer)
			if err != nil {
				return nil, err
			}
			rec.Done, rec.Outcome, rec.Answer, rec.Error = true, Succeeded, b, nil
			if err := s.store.Put(ctx, key, *rec, max(time.Until(rec.Expires), time.Minute)); err != nil {
				s.log.WarnContext(ctx, "idempotency: recording a settled outcome", "op", c.Op, "err", err)
			}
		}
	}
	markReplay(ctx)
	if rec.Outcome == Succeeded {
		if c.Answer == nil {
			return nil, fmt.Errorf("idempotency: no answer type for %s", c.Op)
		}
		v := reflect.New(c.Answer)
		if err := json.Unmarshal(rec.Answer, v.Interface()); err != nil {
			return nil, fmt.Errorf("idempotency: decoding the recorded answer of %s: %w", c.Op, err)
		}
		return v.Elem().Interface(), nil
	}
	e := rec.Error
	if e == nil {
		e = &RecordedError{Message: "recorded failure", Extensions: map[string]any{"code": errs.Internal}}
	}
	ext := make(map[string]any, len(e.Extensions)+1)
	for k, v := range e.Extensions {
		ext[k] = v
	}
	ext[ReplayExtension] = true
	return nil, &gqlerror.Error{Message: e.Message, Extensions: ext}
}

func markReplay(ctx context.Context) {
	if !graphql.HasOperationContext(ctx) {
		return
	}
	if graphql.GetExtension(ctx, ReplayExtension) == nil {
		graphql.RegisterExtension(ctx, ReplayExtension, true)
	}
}

// Mark remembers key for ttl and reports whether it was new; force
// remembers it anyway (and reports true). Unmark forgets it. They back
// rules like "the same call within 30 s is a double click".
func (s *Service) Mark(ctx context.Context, key string, ttl time.Duration, force bool) (bool, error) {
	rec := Record{Fingerprint: "mark", Done: true, Lease: time.Now().Add(ttl)}
	if force {
		return true, s.store.Put(ctx, "mark:"+key, rec, ttl)
	}
	found, err := s.store.Claim(ctx, "mark:"+key, rec, ttl)
	return found == nil && err == nil, err
}

// Unmark forgets a Mark.
func (s *Service) Unmark(ctx context.Context, key string) error {
	return s.store.Delete(ctx, "mark:"+key)
}
