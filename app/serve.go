package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"switchboard/graph/gateway"
	"switchboard/graph/tracing"
)

// Serve builds the gateway from the configuration read through getenv and serves it until ctx
// ends, then stops it within shutdownGrace. started, when set, runs once
// the gateway is built (the command line hooks its signals there).
func Serve(ctx context.Context, log *slog.Logger, getenv func(string) string, started func(*App)) error {
	cfg, err := ParseConfig(getenv)
	if err != nil {
		return err
	}
	shutdownTracing, err := tracing.Setup(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = shutdownTracing(context.Background()) }()
	gw, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer gw.Close()

	if started != nil {
		started(gw)
	}
	go ServeDebug(ctx, getenv("SWITCHBOARD_DEBUG_ADDR"), log)

	srv := NewHTTPServer(cfg.Addr, gw.Handler())
	// Bound before "up" is printed: a port in use fails here, not after.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on SWITCHBOARD_ADDR %s: %w", cfg.Addr, err)
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("listen on SWITCHBOARD_METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
		}
		msrv := NewHTTPServer(cfg.MetricsAddr, gateway.MetricsHandler())
		go func() { errc <- msrv.Serve(mln) }()
		defer msrv.Close()
		log.Info("metrics listening", "addr", cfg.MetricsAddr)
	}
	gw.Start(ctx)
	url := "http://localhost" + cfg.Addr
	if cfg.Addr[0] != ':' {
		url = "http://" + cfg.Addr
	}
	log.Info("switchboard listening", "addr", cfg.Addr, "sandbox", cfg.Sandbox)
	fmt.Fprintf(os.Stderr, "\nSwitchboard is up. GraphiQL: %s/\n", url)
	if gw.DemoKey != "" {
		fmt.Fprintf(os.Stderr, "Demo API key (sandbox, every scope): %s\n  curl -H 'Authorization: Bearer %s' ...\n\n", gw.DemoKey, gw.DemoKey)
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: ending subscriptions, waiting for in-flight requests", "bound", shutdownGrace)
	gw.Stop()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// The bound is kept so that a restart on the same data directory
		// gets the call store in time: what is still running is cut.
		log.Warn("in-flight requests cut at the shutdown bound", "bound", shutdownGrace)
		err = srv.Close()
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// shutdownGrace bounds a stop: subscriptions end at once, plain requests
// get what is left of it, then the call store is released (gw.Close). A new
// process on the same data directory waits longer than this for the store
// (calls.OpenBolt), so a restart overlapping a stop does not fail.
const shutdownGrace = 4 * time.Second
