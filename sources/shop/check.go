package shop

import "context"

// Authenticate fetches a token now (GET /token): it checks the credentials
// without calling a route.
func (c *Client) Authenticate(ctx context.Context) error { return c.api.Authenticate(ctx) }
