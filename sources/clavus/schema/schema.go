// Package clavusschema holds the Clavus upstream SDL, the one file that both
// genqlient (genqlient.yaml) and the fake server read.
package clavusschema

import _ "embed"

// SDL is the Clavus upstream schema.
//
//go:embed schema.graphql
var SDL string
