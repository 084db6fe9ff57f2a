import { asc, ilike, or } from "drizzle-orm";
import type { Db } from "../client.js";
import { users, type UserRow } from "../schema.js";

/**
 * Users whose subject or email contains `search` (case-insensitive; null or
 * empty: every user), alphabetical by subject. A substring match scans the
 * table: meant for an admin looking someone up, not for a hot path.
 */
export async function searchUsers(db: Db, search: string | null, limit: number): Promise<UserRow[]> {
  const pattern = search ? `%${escapeLikePattern(search)}%` : null;
  return db
    .select()
    .from(users)
    .where(pattern === null ? undefined : or(ilike(users.subject, pattern), ilike(users.email, pattern)))
    .orderBy(asc(users.subject))
    .limit(limit);
}

/** `%` and `_` in a search are themselves, not wildcards (backslash is LIKE's default escape). */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
