import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The gateway's own signed links to an artifact (ARTIFACT_STORE=local):
 * `/artifacts/<id>?expires=<unix seconds>&sig=<HMAC>`. The HMAC-SHA256 of
 * the id and the expiry under ARTIFACT_URL_SECRET is the whole permission:
 * whoever holds the link may read that one file until it expires, so a link
 * is minted only for the artifact's owner (or an admin) and a changed id or
 * expiry no longer matches its signature.
 */
export const artifactPathPrefix = "/artifacts/";

/** What a link says, as the gateway received it. */
export interface ArtifactLinkParts {
  id: string;
  expires: string | null;
  sig: string | null;
}

export type ArtifactLinkCheck = { ok: true; expiresAt: number } | { ok: false; reason: "invalid" | "expired" };

// Domain separation: a signature made for anything else under the same secret never passes as a link.
const signedText = (id: string, expires: number) => `artifact-link:v1:${id}:${expires}`;

export function signArtifactLink(secret: string, id: string, expires: number): string {
  return createHmac("sha256", secret).update(signedText(id, expires)).digest("base64url");
}

/** The path and query of a link to `id` that expires at `expires` (unix seconds). */
export function artifactLinkPath(secret: string, id: string, expires: number): string {
  return `${artifactPathPrefix}${encodeURIComponent(id)}?expires=${expires}&sig=${signArtifactLink(secret, id, expires)}`;
}

/**
 * Whether a link is one the gateway signed and still in force at `now`
 * (unix seconds). The signature is compared in constant time; a link whose
 * signature does not match is `invalid` whatever its expiry says.
 */
export function checkArtifactLink(secret: string, link: ArtifactLinkParts, now: number): ArtifactLinkCheck {
  if (link.expires === null || link.sig === null || !/^\d{1,12}$/.test(link.expires)) return { ok: false, reason: "invalid" };
  const expires = Number(link.expires);
  const expected = Buffer.from(signArtifactLink(secret, link.id, expires), "base64url");
  const given = Buffer.from(link.sig, "base64url");
  // base64url decoding skips stray characters: the text must also be the canonical one.
  if (given.length !== expected.length || given.toString("base64url") !== link.sig || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "invalid" };
  }
  if (expires <= now) return { ok: false, reason: "expired" };
  return { ok: true, expiresAt: expires };
}
