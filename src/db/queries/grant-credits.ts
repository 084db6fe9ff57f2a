import { eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { ledgerEntries, users, type UserRow } from "../schema.js";

/**
 * Adds (or, with a negative amount, takes back) credits. A grant that would
 * make the balance negative fails the CHECK constraint and changes nothing.
 */
export async function grantCredits(db: Db, userId: string, amount: number, reason: string | null): Promise<UserRow | null> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ balance: sql`${users.balance} + ${amount}` })
      .where(eq(users.id, userId))
      .returning();
    if (!user) return null;
    await tx.insert(ledgerEntries).values({ userId, amount, kind: "grant", reason });
    return user;
  });
}
