// Package resolvers holds the gqlgen resolvers. They stay thin: they check
// arguments, ask the per-request loaders or a service, and map upstream
// types onto the unified models. Error codes are applied by graph/errs.
package resolvers

import (
	"switchboard/graph/folders"
	"switchboard/graph/notifications"
	"switchboard/graph/shops"
	"switchboard/graph/telephony"
	"switchboard/graph/vehicles"
)

// Resolver is the root resolver: the services the resolvers use, each nil
// when its source is not configured (its fields answer NOT_CONFIGURED).
type Resolver struct {
	Vehicles      *vehicles.Service
	Shops         *shops.Service
	Notifications *notifications.Service
	Folders       *folders.Service
	Telephony     *telephony.Service
	// Sources is what the sources query reports, in display order.
	Sources []Source
}

// Source is one upstream as the sources query reports it.
type Source struct {
	Name                string
	Configured, Sandbox bool
}
