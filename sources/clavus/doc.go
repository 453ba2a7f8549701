// Package clavus is the typed client of the Clavus ERP ("ERP de l'ENR")
// external GraphQL API (https://api-v2.clavus.io/api/external/graphql). The
// GraphQL plumbing is genqlient's (sources/clavus/clavusgql, from the operations in
// sources/clavus/operations and the SDL in sources/clavus/schema); callers see
// plain Go types and methods only.
//
// Transport: every call is one POST through the source kit (upstream.Client)
// with the API key as "Authorization: Bearer"; queries are marked idempotent
// (retried on transient failures), the mutation is not. Metrics and errors
// carry the GraphQL operation name (GetFolders, GetColumns, GetTeams,
// GetUsers, GetValuesByIds, UpsertProspect; the aliased GetUsersOfTeams and
// GetFoldersMany).
//
// Live schema: the guide shows literals only (ids: ["clsc…"], teamId: "id1",
// puissanceKc: 300), so our argument types are a reading. The client's
// graphql.Client (adapter, below genqlient) introspects the live Clavus on
// first use (CheckSchema forces it; the gateway calls it at start-up and in
// check-config), validates every operation with gqlparser, and rewrites the
// variable declarations that differ only by ID↔String or Int↔Float, once
// per document. A Float sent where Clavus takes Int must be a whole 32-bit
// number (else KindBadInput naming the field, before any call). Anything
// else the live schema refuses is a Mismatch naming operation, argument,
// ours and theirs (SchemaReport.Err); such an operation fails with
// KindRejected without being sent. When introspection is refused the
// operations go as declared, and the report says so. Variables genqlient
// omits (omitempty) are pruned from the document with their arguments, so
// upsertProspect's creation never declares $id (under a String-typed
// Clavus, a declared-but-unset `$id: ID` made Clavus refuse creation too).
// `make clavus-schema` rewrites sources/clavus/schema from introspection.
//
// Team users: UsersOfTeams asks getUsers for every team in ONE request under
// aliases, derived from genqlient's GetUsers document (genqlient cannot
// express a variable number of aliases) and sent through the same
// graphql.Client (aliased.go). A Clavus that refuses that document (HTTP
// 400, remembered: it is not sent again) is asked per team, concurrently;
// so is one whose answer an unknown team nulled (getUsers and erpEnrAPI
// are non-null, so one team's error takes every team's users with it).
// FolderPages does the same for several getFolders queries (the caller
// lookup's written forms of a phone), as GetFoldersMany.
//
// Errors are *upstream.Error with Source "clavus":
//   - HTTP 401, or a GraphQL error with code UNAUTHENTICATED: KindUnauthorized;
//   - GraphQL errors: KindRejected with Clavus's messages verbatim (joined by
//     "; "), except code NOT_FOUND (KindNotFound) and INTERNAL_SERVER_ERROR
//     (KindUnavailable). An update of a converted prospect is KindRejected with
//     Clavus's message, and errors.Is(err, ErrProspectConverted) holds;
//   - HTTP 400 (query refused by the server's validation): KindRejected;
//   - a 2xx body that is not a GraphQL response: KindInvalidResponse;
//   - input refused before any call: KindBadInput, wrapping an *upstream.InputError
//     that names the field.
//
// Partial data: when Clavus answers both data and errors, methods return the
// result built from the data AND a *PartialError (which unwraps to the
// *upstream.Error). Callers that can serve partial results check
// errors.As(err, &pe) before treating err as a failure. Only ValuesByIDs can
// meet this in practice (an unknown folder id is a null item plus an error).
//
// Choices made where the Clavus guide is inconsistent or silent:
//   - Every read is under Query.erpEnrAPI, as the guide's query texts show;
//     the getTeams sample answer with getTeams at the root of "data" is taken
//     as a typo of the sample.
//   - User fields are firstName/lastName, as the getUsers query text says (its
//     sample answer spells them firstname/lastname).
//   - The guide's query texts put types where values go (page: Int!); the
//     schema types the arguments from them: page Int!, itemParPage Int!,
//     search String, columns [String], filterColumns [FilterInput],
//     sortBy [SortInput]. FilterInput is {column, operator, value} with
//     operator a String ("="...), SortInput is {column, direction} with
//     direction the string "asc" or "desc", as the samples write them.
//   - page starts at 1 ("page: 2 returns the second page"); perPage is
//     checked to be 1..200 (MaxPerPage), the guide gives no bound.
//   - getUsers takes teamId: ID (nullable: omitted lists every active user);
//     ids may be String and puissanceKc Int on the live Clavus (adapted).
//   - getValuesByIds returns [FolderValues]! whose items are
//     {id, values: [{id, name, label, value}]}.
//   - Folder cells are {id, name, value} where name is the column label
//     ("Nom du client"), as the samples show. Filters, sorts and the columns
//     argument are sent as given: the gateway (graph/folders) maps labels
//     to technical keys ("commercial"), which the guide's filter sample
//     uses, from getColumns (id, label) joined to the keys getValuesByIds
//     shows for a few folders. Keys differ between Clavus instances
//     ("telephone" or "client.telephone"), so none is hard-coded.
//   - Phones are stored as typed ("0612345678", "06 12 34 56 78",
//     "+33 6 12 34 56 78"...); the caller lookup searches each written form
//     of the national number and matches by normalized number.
//   - upsertProspect takes every field as a nullable argument (id absent:
//     create; present: update only the arguments sent). type is the enum
//     ProspectType {MORAL, PHYSICAL}: the guide shows MORAL (personne morale);
//     PHYSICAL (personne physique) is our name for the other case.
//     puissanceKc is a Float (the sample sends 300; powers such as 6.5 kWc
//     exist), prixHT stays the decimal string the sample shows, gps is two
//     decimal strings, latitude then longitude.
//   - SIREN: the sample's "0000000000000" has 13 digits, which no French
//     identifier has; we require a SIREN's 9 digits (spaces allowed).
//   - Phones are sent as the guide shows them (French national digits,
//     "0666666666"; "+<E.164>" for other countries) and returned to callers
//     as E.164 digits without "+" ("33666666666").
//   - The guide gives no message for the converted-prospect refusal; any
//     GraphQL error on UpsertProspect whose message mentions "convert" is
//     recognised as one (ErrProspectConverted).
package clavus
