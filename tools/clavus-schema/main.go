// Command clavus-schema refreshes sources/clavus/schema/schema.graphql from a
// live Clavus by introspection (CLAVUS_URL and CLAVUS_API_KEY from the
// environment). Run it through `make clavus-schema`, which regenerates the
// genqlient client after it.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"switchboard/sources/clavus"
)

const header = `# Clavus ERP external GraphQL API, introspected from the live endpoint by
# ` + "`make clavus-schema`" + `. Do not edit by hand: refresh it instead.

`

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "clavus-schema:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: clavus-schema <output.graphql>")
	}
	c, err := clavus.New(clavus.Config{URL: os.Getenv("CLAVUS_URL"), APIKey: os.Getenv("CLAVUS_API_KEY"), Timeout: 30 * time.Second})
	if err != nil {
		return fmt.Errorf("%w (set CLAVUS_URL and CLAVUS_API_KEY)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sdl, err := c.IntrospectSDL(ctx)
	if err != nil {
		return err
	}
	return os.WriteFile(os.Args[1], []byte(header+sdl), 0o644)
}
