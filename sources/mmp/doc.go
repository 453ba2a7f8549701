// Package mmp is the client of the MMP Vision 360 API (seed 001): vehicle
// data (customers, invoices, operations, forecasts, campaign reminders) by
// registration plate, and the network services (campaign customers of a
// point of sale, the email/SMS blacklist, the customers-and-invoices ZIP
// upload). It knows nothing of GraphQL.
//
// Every method returns an *upstream.Error on failure: KindBadInput for a
// plate or argument refused before sending (wrapping ErrInvalidPlate for
// plates), KindUnauthorized when MMP refuses our credentials,
// KindNotFound for an unknown vehicle or point of sale, KindRejected for
// other success:false answers and 4xx, KindInvalidResponse for a 2xx body
// that is not a readable envelope, KindUnavailable/KindTimeout otherwise.
//
// # Readings of the seed
//
// The seed is truncated in many places. These are the choices made, which
// the fake (sources/mmp/fake) follows too:
//
//   - Token: the seed shows a JSON body with grant_type=password;
//     golang.org/x/oauth2 sends the same fields form-encoded (client id and
//     secret in the body). A real Laravel Passport server, which the
//     {error, error_description, message} body betrays, accepts both, and
//     so does the fake. Passport answers 400 invalid_grant for bad user
//     credentials and 401 invalid_client for a bad client: both are
//     KindUnauthorized. Tokens last 7200 s and are reused until then; a 401
//     on a service drops the token and retries once with a new one.
//   - Vehicle services are POSTs with {"immatriculation": plate} and
//     ?lang=en, but only read: they are sent as idempotent (retried).
//     Plates are normalized first (NormalizePlate).
//   - Field names the seed cuts off are invented in the style of the
//     visible ones (see package wire): the client* fields of import-client
//     and client (clientNom, clientPrenom, clientCivilite, clientAdresse,
//     clientCodePostal, clientVille, clientEmail, clientPortable,
//     clientTelephone, relanceSms/Email/Courrier, viePrivee), the vehicle*
//     header of import-client (vehicleRegistrationPlate, vehicleBrand,
//     vehicleModel, vehicleReleaseDate, vehicleLastVisitDate), all of
//     historiques (operationDate, vehicleMileage, privateJobId,
//     privateJobLabel, privateUsedSource, invoiceDmsId, member*), and
//     memberId/memberPoSCode/memberTradeName on customers. Visible names
//     are kept exactly, typos included (campaignlabel, monthlyMilageEstimated,
//     milageBasedEstimatedDate). vehicleVariante carries the VIN, as in the
//     seed's example. vision360's vehiculeDiagnostic belongs to a service
//     the seed does not document and forecastInformations is always null
//     there: both are kept as raw JSON.
//   - vision360's lists: clientList is import-client, relanceClientList is
//     client ("voir WS Données Clients 2"), importFactureList is
//     import-factures, vehiculeFactureList is factures.
//   - JSON null decodes to zero values (strings "", ids 0, zero Date).
//     Dates are "2006-01-02" (UTC midnight) or "2006-01-02 15:04:05" (Paris
//     wall-clock time); see Date.
//   - Envelope errors is [] on success and an object on failure (sometimes
//     {}); both, and a bare list, decode into Errors. success:false is
//     KindRejected, or KindNotFound when the message says the vehicle or
//     point of sale is unknown ("not found", "introuvable"...). The fake
//     answers an unknown plate with HTTP 404 and
//     {"success":false,"data":[],"message":"Vehicle not found","errors":{}}.
//   - campagnes-clients: the seed's path has no {version}
//     (/api/{reseau}/service-external-client/adherents/{code_pdv}/campagnes-clients);
//     the client follows it literally, the fake serves it with and without
//     the version. Its campagneList sits beside data ({id, articleCode,
//     articleLibelle}); one nested in data is read as well. The seed shows
//     ?page=N but no paging block: we expect a top-level
//     "pagination": {currentPage, lastPage, perPage, total} counting
//     customers (20 a page); a page past the last has an empty
//     campagneList. Without that block, CampaignPage.HasMore is "this page
//     was not empty".
//   - Blacklist CSV (output=csv): the seed does not show the file. Its
//     columns are the JSON field names (wire.BlacklistColumns) in a header
//     row; ParseBlacklistCSV matches them by name, accepts ';' or ','
//     separators, a UTF-8 BOM, 1/0, true/false or oui/non booleans. The fake
//     writes ';', a BOM and 1/0, as French spreadsheet exports do.
//   - Upload: multipart importFile (sent as application/zip) and
//     organizationId (the member's id). It is not idempotent and never
//     retried. data.success false is KindRejected.
//   - Phone numbers are returned as MMP sends them (French national form);
//     normalizing them is the caller's job.
package mmp
