// Package schema embeds the unified SDL so the gateway can serve it at
// /schema.graphql and print it without reading files at run time.
package schema

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.graphqls
var files embed.FS

// SDL returns every schema file, in name order, joined.
func SDL() string {
	names, _ := fs.Glob(files, "*.graphqls")
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		data, _ := files.ReadFile(n)
		b.WriteString("# " + n + "\n")
		b.Write(data)
		b.WriteString("\n")
	}
	return b.String()
}
