import { randomUUID } from "node:crypto";

// What a proxy or client may pass on: short, and safe in a header and a log line.
const saneRequestId = /^[\w-]{1,100}$/;

/** The caller's `x-request-id` when it is sane, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && saneRequestId.test(header) ? header : randomUUID();
}
