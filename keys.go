package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v3"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/graph/auth"
	"switchboard/schema"
)

// keysCommand is `switchboard keys new NAME SCOPES [--expires DATE]`.
var keysCommand = &cli.Command{
	Name:  "keys",
	Usage: "manage client API keys",
	Commands: []*cli.Command{{
		Name:      "new",
		Usage:     "make a key: prints its secret once and the keys-file line, which holds only its hash",
		ArgsUsage: "NAME SCOPES (comma-separated, * for every scope)",
		Flags: []cli.Flag{&cli.StringFlag{Name: "expires",
			Usage: "the key stops working at this date (YYYY-MM-DD, midnight UTC) or RFC 3339 instant"}},
		Action: func(_ context.Context, cmd *cli.Command) error {
			if cmd.Args().Len() != 2 {
				return fmt.Errorf("usage: switchboard keys new NAME SCOPES [--expires YYYY-MM-DD]")
			}
			return newKey(os.Stdout, cmd.Args().Get(0), cmd.Args().Get(1), cmd.String("expires"))
		},
	}},
}

func newKey(w io.Writer, name, scopes, expires string) error {
	var until time.Time
	if expires != "" {
		var err error
		if until, err = auth.ParseExpiry(expires); err != nil {
			return err
		}
	}
	known := schemaScopes()
	for _, s := range strings.Split(scopes, ",") {
		if s != "*" && s != "" && !known[s] {
			return fmt.Errorf("scope %q is not used by the schema; known scopes: %s", s, strings.Join(slices.Sorted(maps.Keys(known)), ","))
		}
	}
	secret, line, err := auth.NewKey(name, scopes, until)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "# The secret, shown this once (it is stored nowhere): give it to the key's holder.\n%s\n"+
		"# Append this line to the keys file (SWITCHBOARD_API_KEYS_FILE), then send SIGHUP to each replica:\n%s\n",
		secret, line)
	return err
}

// schemaScopes lists the scopes that the schema's @scope directives name.
func schemaScopes() map[string]bool {
	scopes := map[string]bool{}
	s := gqlparser.MustLoadSchema(&ast.Source{Name: "schema", Input: schema.SDL()})
	for _, t := range s.Types {
		for _, f := range t.Fields {
			for _, d := range f.Directives.ForNames("scope") {
				if a := d.Arguments.ForName("name"); a != nil && a.Value != nil {
					scopes[a.Value.Raw] = true
				}
			}
		}
	}
	return scopes
}
