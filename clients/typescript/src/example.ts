// Runs the typed VehicleByPlate operation against a Switchboard gateway:
//   node dist/example.js [URL] [KEY]   (or SWITCHBOARD_URL, SWITCHBOARD_KEY)
// and prints the vehicle as JSON. It exits non-zero on an HTTP error or a
// GraphQL error, so scripts (and the gateway's tests) can rely on it.
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { VehicleByPlateDocument } from "./generated/graphql.js";

interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; source?: string };
}

// request POSTs one typed operation: the variables and the answer's data
// are checked against the schema at compile time.
export async function request<TData, TVariables>(
  url: string,
  key: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json",
      Authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json()) as { data?: TData; errors?: GraphQLError[] };
  if (body.errors?.length) {
    // One failing source does not blank the others: data may be partial.
    const codes = body.errors.map((e) => `${e.extensions?.code ?? "?"}${e.extensions?.source ? "@" + e.extensions.source : ""}`);
    throw new Error(`HTTP ${res.status}, GraphQL errors: ${codes.join(", ")}: ${body.errors[0].message}`);
  }
  if (!res.ok || body.data == null) {
    throw new Error(`HTTP ${res.status} without data`);
  }
  return body.data;
}

const url = process.argv[2] ?? process.env.SWITCHBOARD_URL ?? "http://localhost:8080";
const key = process.argv[3] ?? process.env.SWITCHBOARD_KEY ?? "";

try {
  const data = await request(url, key, VehicleByPlateDocument, { plate: "AB-123-CD" });
  const v = data.vehicle;
  if (v == null) {
    console.error("no vehicle with that plate");
    process.exit(1);
  }
  // Typed access: v.customers is Array<{ firstName?: string | null; lastName?: ... }>, or null
  // when MMP failed to answer it (the error is in the response's errors).
  console.log(JSON.stringify({ plate: v.plate, customers: v.customers?.map((c) => c.lastName) ?? null, invoices: v.invoices?.length ?? null, forecasts: v.forecasts?.length ?? null }));
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
