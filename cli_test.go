package main

import (
	"bytes"
	"strings"
	"testing"
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
