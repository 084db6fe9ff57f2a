import { eq } from "drizzle-orm";
import type { Db } from "../client.js";
import { users, type UserRow } from "../schema.js";

/** The user a token's `sub` claim names, or null when it has never signed in. */
export async function findUserBySubject(db: Db, subject: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.subject, subject));
  return user ?? null;
}
