import { LRUCache } from "lru-cache";
import type { TokenVerifier, VerifiedIdentity } from "./token-verifier.js";

/**
 * Remembers tokens that verified, so a client's every request does not parse
 * and check its token again: at most `max` of them, each only until its own
 * `exp` (past it the token is verified anew, which refuses it). A refused
 * token is never remembered.
 */
export function cacheVerifiedTokens(verify: TokenVerifier, options: { max?: number; now?: () => number } = {}): TokenVerifier {
  const now = options.now ?? Date.now;
  const verified = new LRUCache<string, VerifiedIdentity>({ max: options.max ?? 10_000 });
  return async (token) => {
    const known = verified.get(token);
    if (known && now() < known.expiresAt.getTime()) return known;
    if (known) verified.delete(token);
    const identity = await verify(token);
    verified.set(token, identity);
    return identity;
  };
}
