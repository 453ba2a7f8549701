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
// The seed is truncated in many places. Where it is, the client is a
// tolerant reader: each field of the types in types.go lists, in its `mmp`
// tag, every name MMP may use for it, and decode (tolerant.go) reads the
// first one present. A key no field knows is logged once per process
// (UnknownFields lists them). The fake (sources/mmp/fake) serves both
// readings below; it shares no type with this package.
//
//   - Token: the seed shows a JSON body with grant_type=password; it is
//     sent as JSON (x/oauth2 builds the request, its form body rewritten
//     as JSON). If MMP refuses the JSON body (415, 422, or 400
//     invalid_request/unsupported_grant_type, as a server reading only
//     forms answers), the form x/oauth2 writes is sent, and kept to from
//     then on. Passport answers 400 invalid_grant for bad user credentials
//     and 401 invalid_client for a bad client: both are KindUnauthorized,
//     and never retried as a form. Tokens last 7200 s and are reused until
//     then; a 401 on a service drops the token and retries once.
//   - Vehicle services are POSTs with {"immatriculation": plate} and
//     ?lang=en, but only read: they are sent as idempotent (retried).
//     Plates are normalized first (NormalizePlate).
//   - Names the seed cuts off, with their accepted alternatives (the
//     seed's style first, then English and other plausible spellings):
//     client* fields of import-client and client: clientCivilite or
//     clientCivility, clientNom/clientLastName/clientLastname,
//     clientPrenom/clientFirstName/clientFirstname,
//     clientRaisonSociale/clientCompanyName, clientAdresse/clientAddress,
//     clientCodePostal/clientPostalCode/clientZipCode,
//     clientVille/clientCity, clientEmail/clientMail,
//     clientPortable/clientMobile/clientMobilePhone,
//     clientTelephone/clientPhone; consents relanceSms/relanceSMS/
//     reminderSms, relanceEmail/reminderEmail, relanceCourrier/
//     reminderMail/reminderPost, viePrivee/privacy; the customer's point
//     of sale memberId/adherentId, memberPoSCode/memberPosCode/
//     adherentCodePdv, memberTradeName/adherentNomCourt (the blacklist's
//     names). import-client's vehicle header: vehicleRegistrationPlate/
//     vehicleImmatriculation/vehiclePlate, vehicleBrand/vehicleMarque/
//     vehicleMake, vehicleModel/vehicleModele, vehicleVIN/vehicleVin/
//     vehicleVariante. historiques: operationDate/date/jobDate/invoiceDate
//     and vehicleMileage/operationMileage/mileage/mileageOnInvoice.
//     Typos are kept and their corrections accepted: campaignlabel/
//     campaignLabel, monthlyMilageEstimated/monthlyMileageEstimated,
//     vehicleCurrentMilageEstimated/-Mileage-, milageBasedEstimatedDate/
//     mileage-, articleLibelle/articleLabel, and vision360's vehicule*
//     lists also as vehicle*. vehicleVariante carries the VIN, as in the
//     seed's example. vision360's vehiculeDiagnostic belongs to a service
//     the seed does not document and forecastInformations is always null
//     there: both are kept as raw JSON.
//   - Types the seed does not state are read loosely: ids, counters and
//     amounts as numbers or strings ("52032", "297,79", 20544.0), strings
//     as strings or numbers, booleans as true/false, 1/0, "1"/"0" or
//     oui/non, PHP's [] for an empty object and an object keyed "0", "1"...
//     for a list.
//   - Zero is a value: counters (mileages, estimates, amounts, quantities,
//     consents) are pointers, nil only when MMP sent null or nothing.
//     Strings and ids read null as "" and 0.
//   - vision360's lists: clientList is import-client, relanceClientList is
//     client ("voir WS Données Clients 2"), importFactureList is
//     import-factures, vehiculeFactureList is factures.
//   - Dates are "2006-01-02" (UTC midnight) or "2006-01-02 15:04:05" (Paris
//     wall-clock time); see Date.
//   - Envelope errors is [] on success and an object on failure (sometimes
//     {}); both, and a bare list, decode into Errors. success:false is
//     KindRejected, or KindNotFound when the message says the vehicle or
//     point of sale is unknown ("not found", "introuvable"...) or the
//     status is 404.
//   - campagnes-clients: the seed's path has no {version}
//     (/api/{reseau}/service-external-client/adherents/{code_pdv}/campagnes-clients);
//     the client follows it literally. Its campagneList sits beside data
//     ({id, articleCode, articleLibelle}; id is the member's
//     organizationId); one nested in data is read as well. The seed shows
//     ?page=N but no paging block and no total: CampaignPage's LastPage,
//     PerPage and Total are nil unless MMP sends a pagination (or meta)
//     block, in camel or snake case. A page past the last has no campaign.
//   - Blacklist CSV (output=csv): the seed does not show the file. Its
//     columns are the JSON field names in a header row; ParseBlacklistCSV
//     matches them by name, accepts ';' or ',' separators, a UTF-8 BOM, 1/0,
//     true/false or oui/non booleans.
//   - Upload: multipart importFile (sent as application/zip) and
//     organizationId (the member's id). It is not idempotent and never
//     retried. data.success false is KindRejected.
//   - Phone numbers are returned as MMP sends them (French national form);
//     normalizing them is the caller's job.
package mmp
