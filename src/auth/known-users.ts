import { LRUCache } from "lru-cache";
import type { Db } from "../db/client.js";
import { provisionUser, type Identity } from "../db/queries/provision-user.js";

/** Who a token's identity is in the database: enough to scope reads and writes. */
export interface KnownUser {
  id: string;
}

// A user's id never changes; the key holds all a token says of them, so a new role or email provisions again.
const keyOf = (identity: Identity) => JSON.stringify([identity.subject, identity.role, identity.email]);

/**
 * Users by token identity, provisioned on first sight and then remembered
 * per process, so a request costs no lookup. Only the id is kept: a balance
 * or anything else that changes is read where it is shown.
 */
export function createKnownUsers(db: Db, startingCredits: number, options: { max?: number; ttlMs?: number } = {}) {
  // The time to live lets a user row recreated under the same subject (a reset database) be found again.
  const cache = new LRUCache<string, KnownUser>({ max: options.max ?? 10_000, ttl: options.ttlMs ?? 5 * 60_000 });
  return async (identity: Identity): Promise<KnownUser> => {
    const key = keyOf(identity);
    const known = cache.get(key);
    if (known) return known;
    const user = await provisionUser(db, identity, startingCredits);
    const entry = { id: user.id };
    cache.set(key, entry);
    return entry;
  };
}

export type KnownUsers = ReturnType<typeof createKnownUsers>;
