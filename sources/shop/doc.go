// Package shop is the typed client of the Shop Application API (e-commerce
// "interfaces" and the "prestations" ordered for them).
//
// Readings of the seed document, where it is silent or ambiguous:
//
//   - Authentication: GET /token with client_id and client_secret returns a
//     token valid expires_in seconds. The document lists them as parameters
//     of a GET (the query) but also says request data is JSON, and its
//     example is cut off: the client sends them in the query and, if that is
//     refused (400 or 401), in a JSON body, and keeps to the style that
//     worked. Any refusal is KindUnauthorized (our configuration). The
//     token is cached until it expires and refreshed when the API answers
//     401. It is always sent in the Authorization header, never in the URL
//     (URLs end up in logs).
//   - Tolerant reader (wire.go, the one place the choices are listed): the
//     samples are cut off or contradict themselves (the interface sample
//     ends on a stray brace and omits url_formulaire and date_suppression;
//     "code" is typed as a date; the prestation sample has a code its table
//     omits), so each field is read under its documented name or a plausible
//     variant: cle_interface|cle|sa_key|key; date_creation|date_installation|
//     creation_date|created_at; statut|status; url|url_site|site_url;
//     url_administration|url_admin|admin_url; url_formulaire|form_url;
//     date_suppression|deletion_date; code|code_prestation; date_creation|
//     date_commande (ordered); resilie|resiliee|cancelled|canceled;
//     date_resiliation|cancellation_date|cancelled_at; reference_unique|
//     reference|unique_reference; nom|name|libelle; descriptif_court|
//     description_courte|short_description; descriptif_long|
//     description_longue|long_description|description; prix|prix_ht|price;
//     prestations_associees|prestations_liees|associated_prestations|
//     associated; access_token|token; expires_in|expire_in|expires;
//     date_reactivation|reactivation_date. Types: statut 1 or "1"; booleans
//     true/1/"1"; prices 490, "490.00" or "490,00" (absent: unknown, not 0);
//     associated codes as an array or a comma-separated string; lists of
//     strings or of objects carrying the key or code; a detail answered as a
//     lone object instead of an array; null for any absent value. A field
//     under no known name is logged once per process (route and name), so a
//     new upstream version is noticed.
//   - Dates ("aaaa-mm-jj hh:mm:ss", no zone; "aaaa-mm-jjThh:mm:ss", a bare
//     date and RFC 3339 are read too) are read and written in Europe/Paris,
//     the zone of the company running the API. An empty string, null or
//     "0000-00-00 00:00:00" is the zero time.
//   - Statuses: 1 active, 0 deleted, 2 disabled (deletion requested, can be
//     reactivated), 3 pending (installation in progress). Any other value is
//     an invalid response.
//   - GET /interfaces/{key}/prestations may list a code once or once per
//     copy (the document does not say); the detail route returns every copy
//     of a code, so callers ask it once per distinct code.
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
//     On creation the association must be satisfied within the order; on
//     addition an associated prestation already active on the interface
//     satisfies it too (the upstream accepts MO-ECOM-S alone on an interface
//     with an active subscription).
//   - Phones in Customer are sent as given: normalisation is the caller's
//     concern, the upstream's expected format is not documented.
//   - GET routes are idempotent and retried on transient failures; POST and
//     DELETE are not (a retried creation could order twice).
package shop
