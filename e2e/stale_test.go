package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/graph/cache"
	"switchboard/graph/gateway"
	"switchboard/graph/vehicles"
	"switchboard/sources/mmp"
)

func TestServeStaleWhenUpstreamFails(t *testing.T) {
	var down atomic.Bool
	_, env := mmpUpstream(t, func(r *http.Request) bool { return down.Load() && !strings.HasSuffix(r.URL.Path, "/token") })
	g := startGateway(t, env)
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	c := cache.New(cache.NewMemory(100), cache.Options{
		Grace:   time.Hour,
		Now:     func() time.Time { return time.Unix(0, now.Load()) },
		OnStale: func(ctx context.Context, k cache.Key) { gateway.MarkStale(ctx, k.Source, k.Operation) },
	})
	client, err := mmp.New(mmp.Config{BaseURL: env["MMP_BASE_URL"], Version: "v2", Network: "trif", ClientID: "cid", ClientSecret: "csecret", Username: "u@example.com", Password: "pw", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	g.gw.Vehicles = vehicles.New(client, c)
	g.rewire()

	q := `{ vehicle(plate: "AB123CD") { forecasts { label } } }`
	if r := g.query(q, nil); len(r.Errors) != 0 || r.Extensions["stale"] != nil {
		t.Fatalf("fresh: %v %v", r.Errors, r.Extensions)
	}
	down.Store(true)
	now.Add(int64(20 * time.Minute)) // past the TTL, within the grace
	r := g.query(q, nil)
	if len(r.Errors) != 0 || r.at("vehicle.forecasts.0.label") == nil {
		t.Fatalf("stale answer: %v %v", r.Errors, r.Data)
	}
	stale, _ := r.Extensions["stale"].([]any)
	if len(stale) == 0 || !strings.Contains(fmtAny(stale[0]), "previsions") {
		t.Fatalf("extensions.stale = %v", r.Extensions)
	}
	now.Add(int64(2 * time.Hour)) // past the grace: the failure shows
	if r := g.query(q, nil); len(r.codes()) == 0 {
		t.Fatalf("after the grace: %v", r.Data)
	}
}

func fmtAny(v any) string { return fmt.Sprint(v) }
