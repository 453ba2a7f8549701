package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

type readiness struct {
	Ready    bool              `json:"ready"`
	Degraded bool              `json:"degraded"`
	Checks   map[string]string `json:"checks"`
	Breakers map[string]string `json:"breakers"`
	Warnings map[string]string `json:"warnings"`
}

func ready(t *testing.T, h http.HandlerFunc) (int, readiness) {
	t.Helper()
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest("GET", "/readyz", nil))
	var r readiness
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	return rec.Code, r
}

func TestReadyzReportsBreakersWithoutFailing(t *testing.T) {
	ok := map[string]func(context.Context) error{"cache": func(context.Context) error { return nil }}
	breakers := func() map[string]string {
		return map[string]string{"mmp/vehicle": "open", "shop/interfaces": "half-open", "clavus/teams": "closed"}
	}
	warnings := func() map[string]string { return map[string]string{"gravitel": "webhook not registered"} }
	code, r := ready(t, readyHandler(ok, breakers, warnings))
	if code != http.StatusOK || !r.Ready || r.Warnings["gravitel"] != "webhook not registered" {
		t.Fatalf("open breakers or warnings made the replica unready: %d %+v", code, r)
	}
	want := map[string]string{"mmp/vehicle": "open", "shop/interfaces": "half-open"}
	if len(r.Breakers) != len(want) || r.Breakers["mmp/vehicle"] != "open" || r.Breakers["shop/interfaces"] != "half-open" {
		t.Fatalf("breakers = %v, want %v", r.Breakers, want)
	}

	// Redis down degrades the replica, reported, without making it unready.
	down := map[string]func(context.Context) error{"cache": func(context.Context) error { return errors.New("redis unreachable") }}
	code, r = ready(t, readyHandler(down, func() map[string]string { return nil }, nil))
	if code != http.StatusOK || !r.Ready || !r.Degraded || r.Checks["cache"] != "redis unreachable" || r.Breakers == nil || len(r.Breakers) != 0 {
		t.Fatalf("failing cache check: %d %+v", code, r)
	}
	badConfig := map[string]func(context.Context) error{"config": func(context.Context) error { return errors.New("bad") }}
	if code, r = ready(t, readyHandler(badConfig, func() map[string]string { return nil }, nil)); code != http.StatusServiceUnavailable || r.Ready {
		t.Fatalf("failing config check: %d %+v", code, r)
	}
}
