// Package fake simulates the Shop Application API for tests, sandbox mode
// and benchmarks. It follows the seed document, not the client's wishes.
//
// What it does, where the seed leaves room:
//
//   - GET /token?client_id&client_secret answers a JWT-looking token valid
//     TokenTTL (3600 s). The token is accepted in the Authorization header
//     (Bearer), in the token query parameter or in a JSON body's "token" key.
//     Missing, unknown or expired: 401 {"error":true,"message":"..."}.
//   - Every error body is exactly {"error":true,"message":"..."} with 400
//     (unknown route, malformed request, business refusal, unknown interface
//     or prestation: the API has no 404), 401 or 500.
//   - Deletion request (DELETE /interfaces/{key}): allowed on active and
//     pending interfaces; the status becomes 2 with date_suppression = now +
//     90 days, after which the status is 0. Reactivation (POST
//     /interfaces/{key}) is only allowed in between and restores the status
//     the interface had.
//   - Creation: guid (unique), client (with email, and nom or societe) and
//     prestations are required; every code known, exactly one setup
//     IN-XXX-S, and each prestation with associated prestations needs one of
//     them in the same order. The new interface is pending (3) with a
//     url_formulaire. Addition: same without setup; only on active or pending
//     interfaces; the body is {"prestations": [...]} or a bare array (the
//     seed does not name the parameter).
//   - GET /interfaces/{key}/prestations lists each code once, cancelled or
//     not; the detail route lists every occurrence. Addition accepts a
//     prestation whose associated prestation is already active on the
//     interface.
//   - Options.Alternate serves the other reading where the document is cut
//     off or ambiguous: GET /token takes client_id and client_secret in a
//     JSON body only (the query is refused); the interface detail repeats
//     its key (cle_interface), sends statut as a string and absent values
//     as null; the code list repeats a code once per copy; the ordered
//     detail sends resilie as 0/1 and no date as null; the catalogue detail
//     has no code, prix as a string ("490.00") and null for no associated
//     prestation.
//   - Seeded data: fixed dates for creations and final deletions; interfaces
//     seeded as disabled or pending get dates relative to the time New runs,
//     so their status stays meaningful whenever the fake is built.
//
// Calls are counted per route in Knobs: token, interfaces, interface,
// create_interface, delete_interface, reactivate_interface,
// interface_prestations, interface_prestation, add_prestations,
// cancel_prestation, prestations, prestation (and unknown for unmatched
// routes).
package fake
