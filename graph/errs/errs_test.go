package errs_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"switchboard/graph/errs"
	"switchboard/sources/upstream"
)

// TestPresenterCodes is the presenter's code table: every kind of failure
// a resolver may return, and the extensions a client sees for it.
func TestPresenterCodes(t *testing.T) {
	upErr := func(kind upstream.Kind, status int) error {
		return upstream.NewError("shop", "interfaces", kind, status, "refused", nil, nil)
	}
	cases := []struct {
		name   string
		err    error
		code   string
		source string
		field  string
		rule   string
		msg    string
	}{
		{"gateway bad input", errs.BadInput("plate", "plate: too long"), errs.BadUserInput, "", "plate", "", "plate: too long"},
		{"not configured", errs.NotConfiguredErr("msem"), errs.NotConfigured, "msem", "", "", "msem is not configured on this gateway"},
		{"not found", errs.NotFoundf("mmp", "no vehicle"), errs.NotFound, "mmp", "", "", "no vehicle"},
		{"source input", &upstream.InputError{Field: "codes", Rule: "one_setup", Message: "needs one setup"}, errs.BadUserInput, "", "codes", "one_setup", "needs one setup"},
		{"wrapped source input", fmt.Errorf("order: %w", &upstream.InputError{Field: "operations[0].type", Message: "unknown"}), errs.BadUserInput, "", "operations[0].type", "", "unknown"},
		{"timeout", upErr(upstream.KindTimeout, 0), errs.UpstreamTimeout, "shop", "", "", ""},
		{"unavailable", upErr(upstream.KindUnavailable, 503), errs.UpstreamUnavailable, "shop", "", "", ""},
		{"our credentials refused", upErr(upstream.KindUnauthorized, 401), errs.UpstreamUnavailable, "shop", "", "", ""},
		{"rejected", upErr(upstream.KindRejected, 400), errs.UpstreamRejected, "shop", "", "", ""},
		{"invalid response", upErr(upstream.KindInvalidResponse, 200), errs.UpstreamInvalidResponse, "shop", "", "", ""},
		{"upstream not found", upErr(upstream.KindNotFound, 404), errs.NotFound, "shop", "", "", ""},
		{"upstream bad input", upErr(upstream.KindBadInput, 0), errs.BadUserInput, "shop", "", "", ""},
		{"deadline", context.DeadlineExceeded, errs.UpstreamTimeout, "", "", "", ""},
		{"cancelled", context.Canceled, errs.UpstreamUnavailable, "", "", "", ""},
		{"anything else", errors.New("secret detail"), errs.Internal, "", "", "", "internal error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := errs.Presenter(context.Background(), c.err)
			ext := got.Extensions
			if ext["code"] != c.code || str(ext["source"]) != c.source || str(ext["field"]) != c.field || str(ext["rule"]) != c.rule {
				t.Fatalf("extensions %v, want code %s source %q field %q rule %q", ext, c.code, c.source, c.field, c.rule)
			}
			if c.msg != "" && got.Message != c.msg {
				t.Fatalf("message %q, want %q", got.Message, c.msg)
			}
		})
	}
}

// TestPresenterKeepsParserCodes: the executor's own codes become ours.
func TestPresenterKeepsParserCodes(t *testing.T) {
	for in, want := range map[string]string{"GRAPHQL_VALIDATION_FAILED": errs.BadUserInput, "GRAPHQL_PARSE_FAILED": errs.BadUserInput,
		"PERSISTED_QUERY_NOT_FOUND": errs.NotFound} {
		err := &gqlerror.Error{Message: "x", Extensions: map[string]any{"code": in}}
		if got := errs.Presenter(context.Background(), err).Extensions["code"]; got != want {
			t.Errorf("%s: code %v, want %s", in, got, want)
		}
	}
}

func str(v any) string { s, _ := v.(string); return s }
