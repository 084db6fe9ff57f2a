import { eq } from "drizzle-orm";
import type { Db } from "../client.js";
import { users, type UserRow } from "../schema.js";

export async function findUser(db: Db, userId: string): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return user ?? null;
}
