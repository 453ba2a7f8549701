// Package notifications is the MseM service: the CRM notifications the
// gateway sends, each operation checked before anything leaves.
package notifications

import (
	"context"

	"switchboard/sources/msem"
)

// Service sends notifications to MseM.
type Service struct{ client *msem.Client }

// New wraps an MseM client.
func New(c *msem.Client) *Service { return &Service{client: c} }

// Notify checks ops, then sends them in one notification. A refused
// operation is an input error naming its field; nothing is sent then.
func (s *Service) Notify(ctx context.Context, ops []msem.Operation) (*msem.Notification, error) {
	if err := msem.Validate(ops); err != nil {
		return nil, err
	}
	return s.client.Notify(ctx, ops)
}

// Check reaches MseM's authentication.
func (s *Service) Check(ctx context.Context) error { return s.client.Authenticate(ctx) }
