package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// CheckConfig parses the configuration read through getenv, builds every configured source (the
// sandbox fakes when SWITCHBOARD_SANDBOX=1) and authenticates to each,
// printing one line per source. It fails when any source fails.
func CheckConfig(ctx context.Context, w io.Writer, getenv func(string) string) error {
	cfg, err := ParseConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	gw, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	defer gw.Close()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	results := gw.CheckSources(ctx)
	failed := 0
	for _, name := range SourceNames() {
		status := "not configured (its fields answer NOT_CONFIGURED)"
		if err, ok := results[name]; ok {
			status = "ok"
			if gw.Sandboxed[name] {
				status = "ok (sandbox fake)"
			}
			if note := gw.CheckNote(name); note != "" && err == nil {
				status += "; " + note
			}
			if err != nil {
				status, failed = "FAILED: "+err.Error(), failed+1
			}
		}
		fmt.Fprintf(w, "%-9s %s\n", name, status)
	}
	if failed > 0 {
		return fmt.Errorf("%d source(s) failed", failed)
	}
	return nil
}

// NewHTTPServer bounds how long a client may hold a connection: slow
// headers and bodies (slowloris), slow readers of a response, idle
// keep-alives. ReadTimeout leaves room for a 32 MiB upload, WriteTimeout
// for that plus the request timeout; subscriptions (SSE, WebSocket) are
// freed from both by the gateway, so they live as long as their client.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}
