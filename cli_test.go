package main

import (
	"bytes"
	"strings"
	"testing"

	clavusfake "switchboard/sources/clavus/fake"
)

func TestCheckConfig(t *testing.T) {
	t.Setenv("SWITCHBOARD_SANDBOX", "1")
	t.Setenv("SWITCHBOARD_DATA_DIR", t.TempDir())
	var out bytes.Buffer
	if err := checkConfig(t.Context(), &out); err != nil {
		t.Fatalf("sandbox: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "mmp       ok (sandbox fake)") {
		t.Fatalf("report:\n%s", out.String())
	}

	// A real MMP whose token endpoint is unreachable fails the check.
	for k, v := range map[string]string{"MMP_BASE_URL": "http://127.0.0.1:1", "MMP_API_VERSION": "v1", "MMP_NETWORK": "n",
		"MMP_CLIENT_ID": "id", "MMP_CLIENT_SECRET": "never-printed", "MMP_USERNAME": "u", "MMP_PASSWORD": "never-printed-either"} {
		t.Setenv(k, v)
	}
	out.Reset()
	err := checkConfig(t.Context(), &out)
	if err == nil || !strings.Contains(out.String(), "mmp       FAILED") || strings.Contains(out.String(), "never-printed") {
		t.Fatalf("unreachable MMP: err %v\n%s", err, out.String())
	}

	// A half-configured source is a configuration error.
	t.Setenv("SHOP_BASE_URL", "http://127.0.0.1:1")
	if err := checkConfig(t.Context(), &out); err == nil || !strings.Contains(err.Error(), "SHOP_CLIENT_ID") {
		t.Fatalf("partial shop config: %v", err)
	}
}

// TestCheckConfigClavusSchema: check-config says what it adapted to a
// Clavus typed otherwise, and fails naming operation, argument and types
// against one whose types cannot be adapted.
func TestCheckConfigClavusSchema(t *testing.T) {
	t.Setenv("SWITCHBOARD_SANDBOX", "1")
	t.Setenv("SWITCHBOARD_DATA_DIR", t.TempDir())
	for _, c := range []struct {
		name    string
		opts    clavusfake.Options
		fails   bool
		wantOut string
	}{
		{"adaptable", clavusfake.Options{Typing: clavusfake.TypingStringInt}, false,
			"adapted to the live schema: GetUsers argument teamId: declared ID, sent as String"},
		{"not adaptable", clavusfake.Options{ArgTypes: map[string]string{"getUsers.teamId": "Int"}}, true,
			"GetUsers argument teamId: ours ID, Clavus's Int"},
		{"introspection refused", clavusfake.Options{NoIntrospection: true}, false, "introspection refused"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, env := clavusUpstreamWith(t, c.opts)
			for k, v := range env {
				t.Setenv(k, v)
			}
			var out bytes.Buffer
			err := checkConfig(t.Context(), &out)
			if (err != nil) != c.fails || !strings.Contains(out.String(), c.wantOut) {
				t.Fatalf("err %v\n%s", err, out.String())
			}
		})
	}
}
