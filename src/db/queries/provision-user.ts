import { eq } from "drizzle-orm";
import type { Db } from "../client.js";
import { ledgerEntries, users, type UserRow } from "../schema.js";
import { findUserBySubject } from "./find-user.js";

export interface Identity {
  subject: string;
  email: string | null;
  role: "user" | "admin";
}

/**
 * The user behind a token's subject, created on first sight with the
 * starting credits (as a ledger grant, so the balance matches the ledger).
 */
export async function provisionUser(db: Db, identity: Identity, startingCredits: number): Promise<UserRow> {
  const known = await findUserBySubject(db, identity.subject);
  if (known && known.role === identity.role && (identity.email === null || known.email === identity.email)) return known;
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ subject: identity.subject, email: identity.email, role: identity.role, balance: startingCredits })
      .onConflictDoNothing({ target: users.subject })
      .returning();
    if (created) {
      if (startingCredits > 0) {
        await tx
          .insert(ledgerEntries)
          .values({ userId: created.id, amount: startingCredits, kind: "grant", reason: "starting credits" });
      }
      return created;
    }
    const [updated] = await tx
      .update(users)
      .set({ role: identity.role, ...(identity.email !== null ? { email: identity.email } : {}) })
      .where(eq(users.subject, identity.subject))
      .returning();
    return updated!;
  });
}
