// Package fake simulates MseM (its OAuth2 server and its CRM notification
// service) for tests, sandbox mode and benchmarks, following the seed.
//
// AuthHandler serves POST /api/oauth/token and ServicesHandler serves POST
// /api/crm/crm-to-msem/notification, so tests can run them as two servers as
// in production; the Server itself serves both paths.
//
// Where the seed is silent:
//
//   - Token: grant_type=client_credentials, client_id and client_secret in
//     the form as the seed shows, scope "all" (or none). Errors are OAuth2's:
//     400 unsupported_grant_type / invalid_scope, 401 invalid_client. Tokens
//     last 3599 s (expires_in).
//   - Options.Alternate is the other reading: client authentication by HTTP
//     Basic only, and customer ids echoed as strings.
//   - Options.Channels restricts the channels accepted: another one is a 400
//     whose message starts with "channel".
//   - Notification errors use a NestJS-style body: {"statusCode": 400,
//     "message": ["operations.0.value.email must be an email"], "error":
//     "Bad Request"}, 401 {"statusCode":401,"message":"Unauthorized"} on a
//     missing, unknown or expired token.
//   - Validation: channel required, at least one operation, type one of
//     CreateCustomer, UpdateCustomer, CreateOrder, UpdateOrder; customers need
//     a positive integer id, lastname, firstname and a valid email; orders an
//     id, and a customerId on CreateOrder. An accepted notification is echoed
//     back as received.
//   - Idempotency-Key: a notification carrying a key already applied is not
//     applied again; the stored answer is replayed. The same key with a
//     different body answers 422. Without a key every call is applied.
//
// Calls are counted per route in Knobs: "token", "notification" (and
// "unknown").
package fake
