import { and, eq, gte, sql } from "drizzle-orm";
import type { Tx } from "../client.js";
import { users } from "../schema.js";

export type DebitResult = { ok: true; balance: number } | { ok: false; balance: number };

/**
 * Takes `amount` credits with one conditional UPDATE (never read-then-write),
 * so concurrent charges can never overdraw. The caller writes the ledger entry.
 */
export async function debitBalance(tx: Tx, userId: string, amount: number): Promise<DebitResult> {
  const [debited] = await tx
    .update(users)
    .set({ balance: sql`${users.balance} - ${amount}` })
    .where(and(eq(users.id, userId), gte(users.balance, amount)))
    .returning({ balance: users.balance });
  if (debited) return { ok: true, balance: debited.balance };
  const [user] = await tx.select({ balance: users.balance }).from(users).where(eq(users.id, userId));
  return { ok: false, balance: user?.balance ?? 0 };
}
