import { and, eq, sql } from "drizzle-orm";
import { canonicalJson } from "../../domain/input-checks.js";
import type { ChargeRefusal, SubmitLimits } from "../../domain/submit-limits.js";
import type { Db } from "../client.js";
import { jobs, ledgerEntries, outbox, users, type JobRow } from "../schema.js";
import { appendJobEvent } from "./append-job-event.js";
import { debitBalance, inChargeTransaction } from "./debit-balance.js";

export interface NewJob {
  userId: string;
  type: string;
  params: unknown;
  priority: number;
  cost: number;
  maxAttempts: number;
  idempotencyKey: string | null;
}

export type ChargeAndCreateJobResult =
  | { kind: "created"; job: JobRow; balance: number }
  | { kind: "existing"; job: JobRow; balance: number }
  /** The key names an earlier job of another type or other params. */
  | { kind: "key-reused"; job: JobRow }
  | { kind: "refused"; refusal: ChargeRefusal };

/**
 * One transaction: idempotency check, conditional charge, ledger entry, job
 * (QUEUED, seq 1), its first event and an outbox row. Nothing is written when
 * the charge is refused (balance, submit rate or unfinished jobs: see
 * debitBalance). A key already used answers its job when type and params
 * match (as data, key order aside), and `key-reused` when they do not.
 */
export async function chargeAndCreateJob(db: Db, input: NewJob, limits: SubmitLimits): Promise<ChargeAndCreateJobResult> {
  return inChargeTransaction(db, async (tx) => {
    if (input.idempotencyKey !== null) {
      // Serializes submits sharing a key, so the second one sees the first job.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${input.userId}:${input.idempotencyKey}`}, 0))`);
      const [existing] = await tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.userId, input.userId), eq(jobs.idempotencyKey, input.idempotencyKey)));
      if (existing) {
        if (existing.type !== input.type || canonicalJson(existing.params) !== canonicalJson(input.params)) {
          return { kind: "key-reused", job: existing };
        }
        const [user] = await tx.select({ balance: users.balance }).from(users).where(eq(users.id, input.userId));
        return { kind: "existing", job: existing, balance: user?.balance ?? 0 };
      }
    }

    const charged = await debitBalance(tx, input.userId, input.cost, limits);
    if (!charged.ok) return { kind: "refused", refusal: charged.refusal };

    const [job] = await tx
      .insert(jobs)
      .values({
        userId: input.userId,
        type: input.type,
        status: "QUEUED",
        priority: input.priority,
        params: input.params,
        maxAttempts: input.maxAttempts,
        cost: input.cost,
        idempotencyKey: input.idempotencyKey,
        seq: 1,
      })
      .returning();
    await tx.insert(ledgerEntries).values({ userId: input.userId, amount: -input.cost, kind: "charge", jobId: job!.id });
    await appendJobEvent(tx, job!, null);
    await tx.insert(outbox).values({ jobId: job!.id });
    return { kind: "created", job: job!, balance: charged.balance };
  });
}

