package mmp

import "context"

// Authenticate fetches a token now: it checks the credentials and the
// token endpoint without calling a service.
func (c *Client) Authenticate(ctx context.Context) error { return c.up.Authenticate(ctx) }
