package vehicles_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard/graph/cache"
	"switchboard/graph/vehicles"
	"switchboard/sources/mmp"
	mmpfake "switchboard/sources/mmp/fake"
	"switchboard/sources/upstream"
)

// TestPlan: vision360 serves a query that needs the header or two lists or
// more; a single list uses its own endpoint, and that list probes the plate.
func TestPlan(t *testing.T) {
	cases := []struct {
		fields []string
		bundle bool
		probe  vehicles.Resource
	}{
		{[]string{"plate"}, false, vehicles.Customers},
		{[]string{"plate", "forecasts"}, false, vehicles.Forecasts},
		{[]string{"invoices", "invoices"}, false, vehicles.Invoices},
		{[]string{"vin"}, true, vehicles.Info},
		{[]string{"diagnostic", "customers"}, true, vehicles.Info},
		{[]string{"customers", "reminders"}, true, vehicles.Info},
		{[]string{"__typename", "unknownField"}, false, vehicles.Customers},
	}
	for _, c := range cases {
		if bundle, probe := vehicles.Plan(c.fields); bundle != c.bundle || probe != c.probe {
			t.Errorf("Plan(%v) = %v, %v; want %v, %v", c.fields, bundle, probe, c.bundle, c.probe)
		}
	}
}

// TestVision360Fallback: when vision360 fails for another reason than an
// unknown plate, each list falls back to its own endpoint; an unknown plate
// stays NOT_FOUND.
func TestVision360Fallback(t *testing.T) {
	f := mmpfake.New(mmpfake.Options{ClientID: "cid", ClientSecret: "csecret", Username: "u@example.com", Password: "pw",
		Version: "v2", Network: "trif", Seed: 7, Vehicles: 5})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/vision360") && !strings.Contains(r.URL.Path, "ZZ999ZZ") {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html>502</html>")
			return
		}
		f.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := mmp.New(mmp.Config{BaseURL: srv.URL, Version: "v2", Network: "trif", ClientID: "cid", ClientSecret: "csecret",
		Username: "u@example.com", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	s := vehicles.New(c, cache.New(cache.NewMemory(100), cache.Options{}))
	ctx := s.WithLoader(context.Background())
	plate := f.Plates()[0]
	forecasts, err := s.Forecasts(ctx, plate, true)
	if err != nil || len(forecasts) == 0 {
		t.Fatalf("fallback: %d forecasts, err %v", len(forecasts), err)
	}
	if f.Knobs.Calls("previsions") != 1 {
		t.Errorf("previsions called %d times, want 1 (the fallback)", f.Knobs.Calls("previsions"))
	}
	if _, err := s.Customers(ctx, "ZZ999ZZ", true); err == nil {
		t.Fatal("unknown plate: no error")
	} else if ue, ok := upstream.AsError(err); !ok || ue.Kind != upstream.KindNotFound {
		t.Fatalf("unknown plate: %v, want a not-found upstream error", err)
	}
}
