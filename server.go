// Command switchboard serves one GraphQL schema over MMP Vision 360, Shop
// Application, MseM, Clavus and Gravitel. It reads its configuration from
// the environment (see README), wires the gateway and serves HTTP until
// SIGINT/SIGTERM, letting in-flight requests finish.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/urfave/cli/v3"

	"switchboard/app"
	"switchboard/graph/gateway"
	"switchboard/graph/tracing"
	"switchboard/schema"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	log, err := newLogger(os.Stderr, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(1)
	}
	slog.SetDefault(log)
	if err := newCLI(log).Run(context.Background(), os.Args); err != nil {
		log.Error("switchboard stopped", "err", err)
		os.Exit(1)
	}
}

// newCLI is the command line: serve (also with no command), schema,
// check-config.
func newCLI(log *slog.Logger) *cli.Command {
	return &cli.Command{
		Name:    "switchboard",
		Usage:   "one GraphQL endpoint over MMP, Shop, MseM, Clavus and Gravitel",
		Version: version,
		// No command serves; an unknown one is an error, not a gateway
		// started by a typo.
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Args().Present() {
				return fmt.Errorf("unknown command %q (commands: serve, schema, check-config; see --help)", c.Args().First())
			}
			return run(ctx, log)
		},
		Commands: []*cli.Command{
			{Name: "serve", Usage: "serve the gateway (the default); configuration from the environment",
				Action: func(ctx context.Context, _ *cli.Command) error { return run(ctx, log) }},
			{Name: "schema", Usage: "print the unified SDL",
				Action: func(context.Context, *cli.Command) error { _, err := fmt.Print(schema.SDL()); return err }},
			{Name: "check-config", Usage: "validate the environment and reach every configured upstream's authentication",
				Action: func(ctx context.Context, _ *cli.Command) error { return checkConfig(ctx, os.Stdout) }},
			keysCommand,
		},
	}
}

// checkConfig parses the environment, builds every configured source (the
// sandbox fakes when SWITCHBOARD_SANDBOX=1) and authenticates to each,
// printing one line per source. It fails when any source fails.
func checkConfig(ctx context.Context, w io.Writer) error {
	cfg, err := app.ConfigFromEnv()
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	gw, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	defer gw.Close()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	results := gw.CheckSources(ctx)
	failed := 0
	for _, name := range app.SourceNames() {
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

func run(ctx context.Context, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg, err := app.ConfigFromEnv()
	if err != nil {
		return err
	}
	shutdownTracing, err := tracing.Setup(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = shutdownTracing(context.Background()) }()
	gw, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer gw.Close()

	go reloadKeysOnHUP(ctx, gw, log)
	go serveDebug(ctx, os.Getenv("SWITCHBOARD_DEBUG_ADDR"), log)

	srv := newHTTPServer(cfg.Addr, gw.Handler())
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
		msrv := newHTTPServer(cfg.MetricsAddr, gateway.MetricsHandler())
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

// newHTTPServer bounds how long a client may hold a connection: slow
// headers and bodies (slowloris), slow readers of a response, idle
// keep-alives. ReadTimeout leaves room for a 32 MiB upload, WriteTimeout
// for that plus the request timeout; subscriptions (SSE, WebSocket) are
// freed from both by the gateway, so they live as long as their client.
func newHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

// reloadKeysOnHUP re-reads the API keys file on SIGHUP.
func reloadKeysOnHUP(ctx context.Context, gw *app.App, log *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := gw.Keys.Reload(); err != nil {
				log.Error("api keys not reloaded; the previous keys stay", "err", err)
				continue
			}
			log.Info("api keys reloaded")
		}
	}
}
