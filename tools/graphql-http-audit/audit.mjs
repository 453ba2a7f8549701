// Runs the graphql-http server audits (GraphQL over HTTP spec) against a
// running Switchboard: node audit.mjs <graphql url> <api key>. Prints one
// JSON line per audit: {id, name, status, reason}.
import { auditServer } from 'graphql-http';

const [url, key] = process.argv.slice(2);
if (!url) {
  console.error('usage: node audit.mjs <graphql url> [api key]');
  process.exit(2);
}
// The gateway needs its API key on every request; the audits do not know it.
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (key) headers.set('Authorization', `Bearer ${key}`);
  return fetch(input, { ...init, headers });
};
const results = await auditServer({ url, fetchFn });
for (const r of results) {
  console.log(JSON.stringify({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? '' }));
}
