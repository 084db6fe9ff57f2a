import type { Plugin } from "graphql-yoga";

// Clients may read the request id of an answer, to quote it when reporting a problem.
const exposedHeaders = ["x-request-id"];

type CorsAnswer = false | { origin: string | string[]; credentials: boolean; exposedHeaders: string[] };

/**
 * Yoga's `cors` option from CORS_ORIGINS: `*` lets any origin read answers
 * but never with credentials; a list lets those origins (only) in, with
 * credentials; an empty list sends no CORS header at all. Yoga's own
 * default would reflect any origin *with* credentials.
 */
export function corsOption(origins: "*" | string[]): false | ((request: Request) => CorsAnswer) {
  if (origins === "*") return () => ({ origin: "*", credentials: false, exposedHeaders });
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get("origin");
    return origin !== null && allowed.has(origin) ? { origin: [origin], credentials: true, exposedHeaders } : false;
  };
}

/**
 * With a list of origins every answer depends on the request's Origin (an
 * allowed one gets CORS headers, another none), so caches must key on it:
 * `Vary: Origin` on every answer, which yoga leaves out for a one-origin
 * list (and for requests it sends no CORS header).
 */
export function corsPlugins(origins: "*" | string[]): Plugin[] {
  if (origins === "*" || origins.length === 0) return [];
  return [
    {
      onResponse({ response }) {
        const vary = response.headers.get("vary");
        if (!vary?.split(",").some((name) => name.trim().toLowerCase() === "origin")) response.headers.append("vary", "Origin");
      },
    },
  ];
}
