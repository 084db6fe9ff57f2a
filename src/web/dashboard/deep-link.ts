import { normalizeToken } from "./auth/token-store.js";

/**
 * The links apps give their users, kept from the old one-job progress
 * page: `/?job=<id>#token=<jwt>`. The token rides in the fragment, which
 * browsers never send, so it stays out of server and proxy logs; the page
 * takes it and then removes it from the address bar. The job stays in the
 * query, so a reload shows the same job. Pure: URLs in, URLs out.
 */

const isTokenPart = (part: string) => /^token(=|$)/.test(part);
const partsOf = (hash: string) => hash.replace(/^#/, "").split("&").filter(Boolean);

/** Whether the fragment carries a token (even an empty one): then it is to be removed. */
export const hasTokenFragment = (hash: string) => partsOf(hash).some(isTokenPart);

/** The token of a `#token=<jwt>` fragment, as a pasted one is read (no "Bearer ", no whitespace); null when absent or empty. */
export function tokenInFragment(hash: string): string | null {
  const part = partsOf(hash).find(isTokenPart);
  if (part === undefined) return null;
  let value = part.slice("token=".length);
  try {
    value = decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    // Not valid percent-encoding: taken as written, and the gateway judges it.
  }
  return normalizeToken(value) || null;
}

/** `href` without the fragment's token; other fragment parameters stay, and an empty fragment goes with its "#". */
export function withoutTokenFragment(href: string): string {
  const url = new URL(href);
  const rest = partsOf(url.hash).filter((part) => !isTokenPart(part));
  url.hash = rest.length > 0 ? `#${rest.join("&")}` : "";
  return url.href;
}

/** The job a link asks to show (`?job=<id>`); null when there is none. */
export function linkedJobIn(search: string): string | null {
  return new URLSearchParams(search).get("job")?.trim() || null;
}

/** `href` without its `job` parameter ("Show all jobs"); other parameters and the fragment stay. */
export function withoutLinkedJob(href: string): string {
  const url = new URL(href);
  url.searchParams.delete("job");
  url.search = url.searchParams.toString();
  return url.href;
}
