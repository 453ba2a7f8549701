// Package gravitel is the typed client of the Gravitel virtual PBX ("ВАТС")
// CRM REST API, plus the pure parsing of the requests the PBX sends to us.
//
// Outbound (we call the PBX, domain base URL in Config.URL):
//   - POST /sys/api_login.wcgp, form login, password, crm_code, crm_token,
//     url (our webhook), self_map → {"token":"…"}. The token has no stated
//     lifetime: it is kept until a call answers 401, then we log in once more
//     and retry that call once.
//   - POST /sys/crm_api.wcgp, form cmd=makeCall|accounts and token (a form
//     field, not a header).
//
// Registration. api_login is the only way in, and its url (required) is
// where the PBX sends every call: each login re-points the PBX's one
// webhook. So:
//   - Client.Registered says whether the PBX accepted our last login and
//     has not refused its token since; the gateway keeps it true in the
//     background (graph/telephony KeepRegistered: jittered backoff until
//     the PBX accepts, a periodic side-effect-free cmd=accounts that logs in
//     again on 401) and /readyz warns "webhook not registered" meanwhile.
//   - The seed gives no side-effect-free way to check credentials, so
//     `switchboard check-config` never logs in (a laptop with another
//     SWITCHBOARD_PUBLIC_URL would take production's events):
//     CheckReachable posts cmd=accounts without a token and expects the
//     PBX's {"error":…} refusal, which shows the PBX is up and answering at
//     URL. Credentials are checked by the running gateway's login, whose
//     outcome /readyz and the logs show.
//
// Inbound (the PBX calls our webhook, form-encoded): cmd=users, contact,
// event, history, each authenticated by crm_token. ParseInbound and
// CheckToken parse and check them; serving HTTP is the caller's job.
//
// Seed ambiguities and the reading chosen:
//   - The seed writes bodies as JavaScript ({ token: "…" }). We send and
//     expect strict JSON ({"token":"…"}, {"error":"Invalid token"}) but also
//     read the unquoted-key form, in case the PBX really answers like that.
//   - Login failure is 401 {"error":"Autorization failed"} (seed spelling,
//     kept); it maps to KindUnauthorized. 400 "Invalid parameters" maps to
//     KindRejected; a crm_api 401 that survives one re-login is
//     KindUnauthorized; 5xx and HTML pages are KindUnavailable.
//   - makeCall answers 200 with an empty body and no call id; MakeCallResult
//     echoes the normalized phone and user. A 200 carrying {"error":…} is
//     treated as a refusal (KindRejected). makeCall is never retried (a
//     retry would ring the customer twice), except the single resend after
//     a 401, which the PBX refused before ringing anyone.
//   - self_map is a presence flag; when Config.SelfMap is set we send
//     self_map=true, otherwise we omit it.
//   - Phones go to the PBX as E.164 digits without '+' (seed example
//     79101234567), normalized by switchboard/sources/phone, which reads
//     a bare digit string that is no French number as international.
//   - cmd=users: the table says "users", the example "user"; both are read
//     as UsersCommand.
//   - contact response: {"contact_name":"…","responsible":…}. The seed shows
//     responsible as a number (23) while user ids elsewhere are strings
//     ("krg"); ContactResponse.Responsible is a string, written as a JSON
//     number when it is all digits and as a string otherwise, and omitted
//     when empty.
//   - event: type, phone, user, callid are required, diversion optional,
//     as the seed's table says. Types are INCOMING, ACCEPTED, COMPLETED,
//     CANCELLED, in any case; anything else is invalid.
//   - accounts answers a bare JSON array in the seed; {"accounts":[…]} is
//     read too. makeCall's 200 has no stated body: any body but
//     {"error":…} is success (empty, "OK", {"result":"ok"}).
//   - history: the seed's example is truncated after link. Required: type
//     (in|out, any case), user, phone, duration (seconds, a "number": a
//     decimal is rounded),
//     callid; optional: diversion, link. link may hold several URLs joined
//     by '|' (as the truncated example shows): Link keeps the raw value,
//     Links the split list. We also read two optional parameters the real
//     PBX sends and the seed lost in truncation: start (20060102T150405Z,
//     RFC 3339 also accepted) and status (e.g. Success, missed, Busy,
//     NotAvailable; kept verbatim).
//   - Phones in inbound requests are normalized; an unparsable phone or
//     diversion makes the request invalid (400 Invalid parameters).
//   - Order of checks for an inbound request: crm_token first (401 Invalid
//     token), then the parameters (400 Invalid parameters). ParseInbound
//     ignores crm_token.
package gravitel
