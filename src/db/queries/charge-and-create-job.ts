import { and, eq, sql } from "drizzle-orm";
import { canonicalJson } from "../../domain/input-checks.js";
import type { ChargeRefusal, SubmitLimits } from "../../domain/submit-limits.js";
import type { JobHints } from "../../events/job-hints.js";
import type { Db } from "../client.js";
import { jobs, users, type JobRow } from "../schema.js";
import { slot, statement, type Runner } from "../statement.js";
import { chargeAndOutboxRows } from "./charge-and-outbox-rows.js";
import { clearChargeMark, debitBalance, inChargeTransaction, inPipelinedChargeTransaction, wasCharged } from "./debit-balance.js";
import { creationStatement, jobRowOf } from "./transition-job.js";
import { UnfinishedJobsCapReached, unfinishedJobsUpTo } from "./unfinished-cap.js";

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
 * One transaction of two statements, sent together with its BEGIN: the conditional charge
 * (debitBalance), then, under the cap on unfinished jobs, the job (QUEUED,
 * seq 1), its first event, its ledger entry and its outbox row. Nothing is written when the
 * charge is refused (balance, submit rate or unfinished jobs). A key already
 * used answers its job when type and params match (as data, key order
 * aside), and `key-reused` when they do not.
 */
export async function chargeAndCreateJob(db: Db, hints: JobHints, input: NewJob, limits: SubmitLimits): Promise<ChargeAndCreateJobResult> {
  const outcome = await inPipelinedChargeTransaction(db, (tx) => chargeAndCreateIn(tx, input, limits));
  if (outcome.kind === "created") hints.announce(outcome.job);
  return outcome;
}

/**
 * Many submits of one user in one transaction, in order, each in a savepoint
 * of its own: a refused one (balance, rate, unfinished jobs) writes nothing
 * and refuses nothing else, and each charge sees the balance the ones before
 * it left. One result per input, in order; announced after the commit.
 */
export async function chargeAndCreateJobs(db: Db, hints: JobHints, inputs: readonly NewJob[], limits: SubmitLimits): Promise<ChargeAndCreateJobResult[]> {
  const outcomes = await db.transaction(async (tx) => {
    const results: ChargeAndCreateJobResult[] = [];
    for (const input of inputs) {
      // The mark of an earlier item's charge must not stand for this one's (debit-balance.ts).
      results.push(await inChargeTransaction(tx, (item) => chargeAndCreateIn(item, input, limits, { clearMark: true })));
    }
    return results;
  });
  for (const outcome of outcomes) if (outcome.kind === "created") hints.announce(outcome.job);
  return outcomes;
}

// Serializes submits sharing a key, so the second one sees the first job.
const lockKey = statement<{ key: string }>(() => sql`select pg_advisory_xact_lock(hashtextextended(${slot("key")}, 0))`);

const jobOfKey = statement<{ userId: string; key: string }, Record<string, unknown>, JobRow>(
  (q) => q.select().from(jobs).where(and(eq(jobs.userId, slot("userId")), eq(jobs.idempotencyKey, slot("key")))),
  jobRowOf,
);

const balanceOf = statement<{ userId: string }, { balance: number }>((q) => q.select({ balance: users.balance }).from(users).where(eq(users.id, slot("userId"))));

interface CreateValues extends Record<string, unknown> {
  userId: string;
  type: string;
  priority: number;
  /** As JSON text. */
  params: string;
  maxAttempts: number;
  cost: number;
  idempotencyKey: string | null;
  maxUnfinishedJobs: number;
}

// The user's unfinished jobs counted (up to the cap), and under the cap, if charged, the job, its
// first event, its ledger charge and its outbox row: one row, the count and the job (or null).
const create = statement<CreateValues, Record<string, unknown>, { unfinished: number; job: JobRow | null }>(
  (q) => {
    const { capped, counted, underCap } = unfinishedJobsUpTo(q, slot("userId"), sql.placeholder("maxUnfinishedJobs"));
    const { created, event } = creationStatement(q, and(underCap, wasCharged)!);
    return q
      .with(capped, counted, created, event, ...chargeAndOutboxRows(q, created))
      .select()
      .from(counted)
      .leftJoin(created, sql`true`);
  },
  (raw) => ({ unfinished: raw.unfinished as number, job: raw.id === null ? null : jobRowOf(raw) }),
);

async function chargeAndCreateIn(tx: Runner, input: NewJob, limits: SubmitLimits, options: { clearMark?: boolean } = {}): Promise<ChargeAndCreateJobResult> {
  if (input.idempotencyKey !== null) {
    await lockKey.run(tx, { key: `${input.userId}:${input.idempotencyKey}` });
    const [existing] = await jobOfKey.run(tx, { userId: input.userId, key: input.idempotencyKey });
    if (existing) {
      if (existing.type !== input.type || canonicalJson(existing.params) !== canonicalJson(input.params)) {
        return { kind: "key-reused", job: existing };
      }
      const [user] = await balanceOf.run(tx, { userId: input.userId });
      return { kind: "existing", job: existing, balance: user?.balance ?? 0 };
    }
  }

  const values: CreateValues = {
    userId: input.userId,
    type: input.type,
    priority: input.priority,
    params: JSON.stringify(input.params),
    maxAttempts: input.maxAttempts,
    cost: input.cost,
    idempotencyKey: input.idempotencyKey,
    maxUnfinishedJobs: limits.maxUnfinishedJobs,
  };
  // Sent right behind the debit, without waiting for it: one round trip for both. It writes
  // the job only if the debit marked the transaction as charged (debit-balance.ts).
  if (options.clearMark) await clearChargeMark(tx);
  const [charged, [first]] = await Promise.all([debitBalance(tx, input.userId, input.cost, limits), create.run(tx, values)]);
  if (!charged.ok) return { kind: "refused", refusal: charged.refusal };
  // Charged, but the statement wrote nothing: the user is at the cap, or the charge came after
  // it (a second try of the debit). Asked again now, it tells which.
  const row = first?.job ? first : (await create.run(tx, values))[0];
  const job = row?.job;
  if (!job) throw new UnfinishedJobsCapReached(row?.unfinished ?? limits.maxUnfinishedJobs);
  return { kind: "created", job, balance: charged.balance };
}
