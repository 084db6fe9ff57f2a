import { createHash } from "node:crypto";

/** On every response: browsers must not guess a content type. */
export const commonSecurityHeaders = { "x-content-type-options": "nosniff" } as const;

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
const hashesOf = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((match) => sha256(match[1]!));

/**
 * Headers for the HTML page at `/`. It keeps a token in localStorage, so no
 * script runs but its own inline ones (allowed by hash, not unsafe-inline),
 * it talks only to its own origin, and no other site may frame it.
 */
export function pageSecurityHeaders(html: string): Record<string, string> {
  const scripts = hashesOf(html, /<script\b[^>]*>([\s\S]*?)<\/script>/g);
  const styles = hashesOf(html, /<style\b[^>]*>([\s\S]*?)<\/style>/g);
  // style="" attributes need 'unsafe-hashes' as well as their hash.
  const styleAttributes = hashesOf(html, /\sstyle="([^"]*)"/g);
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.join(" ") || "'none'"}`,
    `style-src ${[...styles, ...(styleAttributes.length ? ["'unsafe-hashes'", ...styleAttributes] : [])].join(" ") || "'none'"}`,
    "connect-src 'self'",
    "img-src 'self' data:",
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
