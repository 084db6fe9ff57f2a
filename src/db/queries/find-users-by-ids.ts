import { inArray } from "drizzle-orm";
import type { Db } from "../client.js";
import { users, type UserRow } from "../schema.js";

/** The users of these ids, in no particular order; an unknown id has no row. */
export async function findUsersByIds(db: Db, userIds: readonly string[]): Promise<UserRow[]> {
  if (userIds.length === 0) return [];
  return db.select().from(users).where(inArray(users.id, [...userIds]));
}
