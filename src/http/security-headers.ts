/** On every response: browsers must not guess a content type. */
export const commonSecurityHeaders = { "x-content-type-options": "nosniff" } as const;

// A Host header as browsers send it: a DNS name, IPv4 or [IPv6], and a port. Anything else (a ";" that
// would start a new CSP directive, say) is left out of the policy rather than echoed into it.
const hostPattern = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

// An origin as a CSP source: scheme, host and port, nothing that could end the directive.
const originPattern = /^https?:\/\/(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Headers for the dashboard's HTML at `/`. The page keeps a token in
 * sessionStorage, so it runs only its own scripts and stylesheets (files
 * under /assets, no inline code), talks only to its own origin (HTTP for
 * queries, WebSocket for subscriptions: `ws:`/`wss:` of the same host are
 * named for browsers whose 'self' does not cover them), and no other site
 * may frame it. `fileOrigins` are where its files live besides its own
 * origin (artifact links under PUBLIC_URL, an S3 bucket's presigned links,
 * upload URLs under PUBLIC_URL): players and images load from them
 * (media-src, img-src), and the page reads and uploads there (connect-src).
 */
export function dashboardSecurityHeaders(host: string | undefined, fileOrigins: readonly string[] = []): Record<string, string> {
  const sockets = host && hostPattern.test(host) ? [`ws://${host}`, `wss://${host}`] : [];
  const files = fileOrigins.filter((origin) => originPattern.test(origin));
  const sources = (...list: string[]) => [...new Set(list)].join(" ");
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${sources("'self'", ...sockets, ...files)}`,
    `img-src ${sources("'self'", "data:", ...files)}`,
    `media-src ${sources("'self'", ...files)}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    ...commonSecurityHeaders,
    "content-security-policy": csp,
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
  };
}
