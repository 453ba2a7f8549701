package msem

import "context"

// Authenticate fetches a token from the auth host now: it checks the
// credentials without sending a notification.
func (c *Client) Authenticate(ctx context.Context) error { return c.api.Authenticate(ctx) }
