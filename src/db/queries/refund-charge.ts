import { and, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "../client.js";
import { ledgerEntries, users, type JobRow } from "../schema.js";
import { slot, statement } from "../statement.js";

/**
 * Gives back the job's latest charge. The unique `refund_of` makes a second
 * refund of the same charge a no-op, whoever attempts it. Returns the new
 * balance, or null when there was nothing left to refund.
 */
export async function refundCharge(tx: Tx, job: JobRow, reason: string): Promise<number | null> {
  const [charge] = await latestCharge.run(tx, { jobId: job.id });
  if (!charge || charge.amount === 0) return null;
  const amount = -charge.amount;
  const [refund] = await insertRefund.run(tx, { userId: job.userId, amount, jobId: job.id, refundOf: Number(charge.id), reason });
  if (!refund) return null;
  const [user] = await credit.run(tx, { userId: job.userId, amount });
  return user?.balance ?? null;
}

const latestCharge = statement<{ jobId: string }, { id: number | string; amount: number }>((q) =>
  q
    .select({ id: ledgerEntries.id, amount: ledgerEntries.amount })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.jobId, slot("jobId")), eq(ledgerEntries.kind, "charge")))
    .orderBy(desc(ledgerEntries.id))
    .limit(1),
);

const insertRefund = statement<{ userId: string; amount: number; jobId: string; refundOf: number; reason: string }>((q) =>
  q
    .insert(ledgerEntries)
    .values({
      userId: sql.placeholder("userId"),
      amount: sql.placeholder("amount"),
      kind: "refund",
      jobId: sql.placeholder("jobId"),
      refundOf: sql.placeholder("refundOf"),
      reason: sql.placeholder("reason"),
    })
    .onConflictDoNothing({ target: ledgerEntries.refundOf })
    .returning({ id: ledgerEntries.id }),
);

const credit = statement<{ userId: string; amount: number }, { balance: number }>((q) =>
  q
    .update(users)
    .set({ balance: sql`${users.balance} + ${slot("amount")}` })
    .where(eq(users.id, slot("userId")))
    .returning({ balance: users.balance }),
);
