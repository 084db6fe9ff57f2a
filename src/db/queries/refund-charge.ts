import { and, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "../client.js";
import { ledgerEntries, users, type JobRow } from "../schema.js";

/**
 * Gives back the job's latest charge. The unique `refund_of` makes a second
 * refund of the same charge a no-op, whoever attempts it. Returns the new
 * balance, or null when there was nothing left to refund.
 */
export async function refundCharge(tx: Tx, job: JobRow, reason: string): Promise<number | null> {
  const [charge] = await tx
    .select({ id: ledgerEntries.id, amount: ledgerEntries.amount })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.jobId, job.id), eq(ledgerEntries.kind, "charge")))
    .orderBy(desc(ledgerEntries.id))
    .limit(1);
  if (!charge || charge.amount === 0) return null;
  const amount = -charge.amount;
  const [refund] = await tx
    .insert(ledgerEntries)
    .values({ userId: job.userId, amount, kind: "refund", jobId: job.id, refundOf: charge.id, reason })
    .onConflictDoNothing({ target: ledgerEntries.refundOf })
    .returning({ id: ledgerEntries.id });
  if (!refund) return null;
  const [user] = await tx
    .update(users)
    .set({ balance: sql`${users.balance} + ${amount}` })
    .where(eq(users.id, job.userId))
    .returning({ balance: users.balance });
  return user?.balance ?? null;
}
