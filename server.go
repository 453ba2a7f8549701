// Command switchboard serves one GraphQL schema over MMP Vision 360, Shop
// Application, MseM, Clavus and Gravitel. It reads its configuration from
// the environment (see README), wires the gateway and serves HTTP until
// SIGINT/SIGTERM, letting in-flight requests finish. An optional YAML file
// (--config) supplies variables the environment does not set.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v3"

	"switchboard/app"
	"switchboard/graph/config"
	"switchboard/schema"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	log, err := app.NewLogger(os.Stderr, os.Getenv)
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
	// getenv reads the configuration: the environment over --config's file.
	getenv := os.Getenv
	return &cli.Command{
		Name:    "switchboard",
		Usage:   "one GraphQL endpoint over MMP, Shop, MseM, Clavus and Gravitel",
		Version: version,
		Flags: []cli.Flag{&cli.StringFlag{Name: "config", TakesFile: true, Sources: cli.EnvVars("SWITCHBOARD_CONFIG"),
			Usage: "YAML `FILE` whose keys are the configuration variables; the environment wins over it"}},
		Before: func(ctx context.Context, c *cli.Command) (context.Context, error) {
			if c.String("config") == "" {
				return ctx, nil
			}
			g, err := config.Getenv(c.String("config"))
			if err != nil {
				return ctx, err
			}
			// The file may set the log level and format.
			l, err := app.NewLogger(os.Stderr, g)
			if err != nil {
				return ctx, err
			}
			getenv, log = g, l
			slog.SetDefault(l)
			return ctx, nil
		},
		// No command serves; an unknown one is an error, not a gateway
		// started by a typo.
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Args().Present() {
				return fmt.Errorf("unknown command %q (commands: serve, schema, check-config; see --help)", c.Args().First())
			}
			return run(ctx, log, getenv)
		},
		Commands: []*cli.Command{
			{Name: "serve", Usage: "serve the gateway (the default); configuration from the environment",
				Action: func(ctx context.Context, _ *cli.Command) error { return run(ctx, log, getenv) }},
			{Name: "schema", Usage: "print the unified SDL",
				Action: func(context.Context, *cli.Command) error { _, err := fmt.Print(schema.SDL()); return err }},
			{Name: "check-config", Usage: "validate the environment and reach every configured upstream's authentication",
				Action: func(ctx context.Context, _ *cli.Command) error { return app.CheckConfig(ctx, os.Stdout, getenv) }},
			keysCommand,
		},
	}
}

// run serves until SIGINT or SIGTERM; SIGHUP reloads the API keys.
func run(ctx context.Context, log *slog.Logger, getenv func(string) string) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return app.Serve(ctx, log, getenv, func(gw *app.App) { go reloadKeysOnHUP(ctx, gw, log) })
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
