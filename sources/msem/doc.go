// Package msem is the typed client of the MseM CRM interface: the CRM pushes
// customer and order notifications to MseM.
//
// Readings of the seed document, where it is silent or ambiguous:
//
//   - The seed shows an empty request body and the JSON under the response
//     heading. We read that JSON as the payload the CRM pushes ({channel,
//     operations: [{type, value}]}), which MseM echoes back on success. Notify
//     sends it and decodes the echo; an empty 2xx body is taken as an echo of
//     what was sent.
//   - Authentication is OAuth2 client credentials at {AuthURL}/api/oauth/token,
//     form-encoded with client_id and client_secret in the body (the seed
//     shows them there) and scope "all" by default. Should the server refuse
//     them there (401, invalid_client), HTTP Basic is tried and, if it
//     works, kept. Tokens (expires_in 3599) are cached and refreshed once on
//     401. Any 4xx from the token endpoint (credentials, scope, grant) is
//     KindUnauthorized: our configuration is refused, not the caller's
//     request. So is a refused channel (a notification answered 4xx with a
//     message about "channel"): the caller never chooses the channel.
//   - Customer values carry the seed's fields: id (integer; a numeric string
//     is read too), lastname, firstname, email. Order values are
//     undocumented: an Order has an id (sent as a JSON string, read as a
//     string or a number), a customerId (integer, like customer ids) and free
//     Attributes merged into the same JSON object; an attribute named id or
//     customerId is refused by Validate rather than silently overwritten.
//   - Validate (called by Notify before sending) requires at least one
//     operation, a known type, and for customers a positive id, a lastname, a
//     firstname and an e-mail address net/mail accepts (bare address, no
//     display name); for orders an id, and a customerId on CreateOrder.
//   - A notification is not idempotent: applying it twice creates twice.
//     Notify sends an Idempotency-Key header (a random UUID per Notify call)
//     but MseM's document never mentions it, so nothing relies on it: a
//     notification that may have reached MseM (a 5xx, a timeout, a cut
//     connection) is never resent; only one refused before being sent
//     (connection refused, DNS) is. The fake honours the header.
//   - Error bodies are not documented. The client reads "message" (a string
//     or a list of strings), "error_description" or "error" from a JSON body;
//     400/422 are KindRejected, 401 KindUnauthorized, 5xx KindUnavailable.
package msem
