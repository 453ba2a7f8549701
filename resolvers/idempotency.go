package resolvers

import (
	"context"
	"strings"
	"time"

	"switchboard/graph/errs"
	"switchboard/graph/idempotency"
	"switchboard/graph/model"
)

// IdempotencyHooks are the mutations' own rules for graph/idempotency:
// the source each calls, Shop's guid orders once, and an unknown makeCall
// outcome is settled by the PBX's history of that call.
func (r *Resolver) IdempotencyHooks() map[string]idempotency.Hook {
	return map[string]idempotency.Hook{
		"createInterface": {
			Source: "shop", Field: "input.guid", Rule: "guid_reused",
			Natural: func(args map[string]any) string {
				in, _ := args["input"].(model.CreateInterfaceInput)
				return strings.TrimSpace(in.GUID)
			},
		},
		"makeCall": {
			Source: "gravitel",
			Meta: func(args map[string]any) map[string]string {
				phone, _ := args["phone"].(string)
				user, _ := args["user"].(string)
				return map[string]string{"phone": phone, "user": strings.TrimSpace(user), "at": time.Now().UTC().Format(time.RFC3339Nano)}
			},
			Settle: func(ctx context.Context, meta map[string]string) (any, bool, error) {
				at, err := time.Parse(time.RFC3339Nano, meta["at"])
				if r.Telephony == nil || err != nil {
					return nil, false, err
				}
				c, ok, err := r.Telephony.PlacedCall(ctx, meta["phone"], meta["user"], at)
				if !ok || err != nil {
					return nil, false, err
				}
				return &model.MakeCallResult{Phone: c.Phone, User: meta["user"], RequestedAt: at}, true, nil
			},
		},
		"deleteInterface":        {Source: "shop"},
		"reactivateInterface":    {Source: "shop"},
		"addPrestations":         {Source: "shop"},
		"cancelPrestation":       {Source: "shop"},
		"upsertProspect":         {Source: "clavus"},
		"notifyMsem":             {Source: "msem"},
		"pushCustomerToMsem":     {Source: "msem"},
		"uploadCustomerInvoices": {Source: "mmp"},
	}
}

// requireID refuses an empty or blank id where it selects what a mutation
// changes: sent on, it would address nothing, or everything.
func requireID(field, id string) error {
	if strings.TrimSpace(id) == "" {
		return errs.BadInput(field, "%s: must not be empty", field)
	}
	return nil
}
