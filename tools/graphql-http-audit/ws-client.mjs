// Runs one operation through the stock graphql-ws client (the reference
// graphql-transport-ws implementation) against a running Switchboard:
// node --experimental-websocket ws-client.mjs <ws url> <api key> <query>.
// Prints one JSON line per event: {"next": payload}, {"error": [errors]},
// {"closed": code}, {"complete": true}.
import { createClient } from 'graphql-ws';

const [url, key, query] = process.argv.slice(2);
if (!url || !query) {
  console.error('usage: node --experimental-websocket ws-client.mjs <ws url> <api key> <query>');
  process.exit(2);
}
const print = (v) => console.log(JSON.stringify(v));
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${key}` },
  retryAttempts: 0,
  on: { closed: (e) => print({ closed: e.code }) },
});
await new Promise((resolve) => {
  client.subscribe({ query }, {
    next: (v) => print({ next: v }),
    error: (e) => {
      // A closed socket errors with its CloseEvent; a refused document with
      // the GraphQL errors of the `error` message.
      if (Array.isArray(e)) print({ error: e });
      resolve();
    },
    complete: () => {
      print({ complete: true });
      resolve();
    },
  });
});
await client.dispose();
