// Shop answers its lists as bare arrays of strings; the schema's items are
// objects. Tailcall's @http has no mapping for that, so these two response
// filters build the objects. Their results are cached by @cache with the
// field, so a warm query runs no JavaScript.
function keysToInterfaces(body) {
  const keys = typeof body === "string" ? JSON.parse(body) : body;
  return JSON.stringify(keys.map((key) => ({ key })));
}
function codesToPrestations(body) {
  const codes = typeof body === "string" ? JSON.parse(body) : body;
  return JSON.stringify(codes.map((code) => ({ code })));
}
