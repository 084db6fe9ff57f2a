import { eq, inArray } from "drizzle-orm";
import type { Db } from "../client.js";
import { users, type UserRow } from "../schema.js";

export async function findUser(db: Db, userId: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return user ?? null;
}

/** The user a token's `sub` claim names, or null when it has never signed in. */
export async function findUserBySubject(db: Db, subject: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.subject, subject));
  return user ?? null;
}

/** The users of these ids, in no particular order; an unknown id has no row. */
export async function findUsersByIds(db: Db, userIds: readonly string[]): Promise<UserRow[]> {
  if (userIds.length === 0) return [];
  return db.select().from(users).where(inArray(users.id, [...userIds]));
}
