// Package resolvers holds the gqlgen resolvers. They stay thin: they check
// arguments, ask the per-request loaders or a source client, and map upstream
// types onto the unified models. Error codes are applied by graph/errs.
package resolvers

import "switchboard/graph"

// Resolver is the root resolver; the gateway's dependencies hang off it.
type Resolver struct {
	*graph.Gateway
}
