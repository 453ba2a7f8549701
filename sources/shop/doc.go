// Package shop is the typed client of the Shop Application API (e-commerce
// "interfaces" and the "prestations" ordered for them).
//
// Readings of the seed document, where it is silent or ambiguous:
//
//   - Authentication: GET /token?client_id=..&client_secret=.. returns a token
//     valid expires_in seconds. The client caches it until it expires and
//     fetches a new one when the API answers 401. The token is always sent in
//     the Authorization header, never in the URL (URLs end up in logs).
//   - Dates ("aaaa-mm-jj hh:mm:ss", no zone) are read and written in
//     Europe/Paris, the zone of the company running the API. An empty string,
//     null or "0000-00-00 00:00:00" is the zero time.
//   - Statuses: 1 active, 0 deleted, 2 disabled (deletion requested, can be
//     reactivated), 3 pending (installation in progress). Any other value is
//     an invalid response. A numeric string ("1") is accepted as well.
//   - Errors: {"error": true, "message": "..."} with 400, 401 or 500 (also
//     accepted with a 200 status). 401 is KindUnauthorized (after one token
//     refresh), 500 KindUnavailable, 400 KindRejected, except that a 400 whose
//     message says the interface or prestation does not exist ("n'existe
//     pas", "introuvable", "inexistant", "not found") is KindNotFound: the API
//     has no 404, and the gateway must tell "no such interface" apart from a
//     refused order. A 404, should the API send one, is KindNotFound too.
//   - POST /interfaces/{key}/prestations: the seed does not name the array
//     parameter. The client sends {"prestations": [...]}, the name the
//     creation route uses for the same array.
//   - DELETE /interfaces/{key}/prestations/{code} takes either a prestation
//     code (every occurrence is cancelled) or a unique reference (only that
//     occurrence): CancelPrestation passes what it is given.
//   - Business rules (every code known, exactly one setup IN-XXX-S on
//     creation, none on addition, a prestation with associated prestations
//     needs one of them in the same order) are exported as ValidateCreate and
//     ValidateAdd so the gateway refuses bad orders before calling upstream.
//     The association must be satisfied within the order itself, as the
//     seed's wording ("ne peuvent être présentes seules") reads.
//   - Phones in Customer are sent as given: normalisation is the caller's
//     concern, the upstream's expected format is not documented.
//   - GET routes are idempotent and retried on transient failures; POST and
//     DELETE are not (a retried creation could order twice).
package shop
