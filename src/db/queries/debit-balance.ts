import { and, eq, gte, sql } from "drizzle-orm";
import { atUnfinishedCap, chargeRefusal, type ChargeRefusal, type SubmitLimits } from "../../domain/submit-limits.js";
import type { Db, Tx } from "../client.js";
import { users } from "../schema.js";
import { inPipelinedTransaction } from "../pipelined-transaction.js";
import { clientOf, slot, statement, type Runner } from "../statement.js";
import { UnfinishedJobsCapReached } from "./unfinished-cap.js";

export type DebitResult = { ok: true; balance: number } | { ok: false; refusal: ChargeRefusal };

/**
 * The user's submit tokens now, refill included (domain/submit-limits.ts).
 * statement_timestamp() stays the same for the whole statement, rechecks
 * included; a count stamped later than it (by a statement that began
 * earlier but committed first) refills nothing rather than a negative amount.
 */
const tokensNow = sql<number>`least(
  ${slot("burst")}::float8,
  coalesce(
    ${users.submitTokens} + greatest(0, extract(epoch from statement_timestamp() - ${users.submitTokensAt}))::float8 * ${slot("ratePerSecond")}::float8,
    ${slot("burst")}::float8
  )
)`;

/**
 * A successful debit marks its transaction as charged; the statement that
 * writes the job checks the mark, so it can be sent right behind the debit
 * (pipelined: one round trip for both) and write nothing when the debit did
 * not happen. Transaction-local: it ends with the transaction.
 */
const markCharged = sql<string>`set_config('jobgw.charged', 'yes', true)`;
export const wasCharged = sql`coalesce(current_setting('jobgw.charged', true), '') = 'yes'`;

/** Forgets an earlier charge's mark, for the next charge of the same transaction (a batch). */
export const clearChargeMark = (tx: Runner) => clearMark.run(tx, {});
const clearMark = statement(() => sql`select set_config('jobgw.charged', '', true)`);

interface DebitValues extends Record<string, unknown> {
  userId: string;
  amount: number;
  burst: number;
  ratePerSecond: number;
}

const debit = statement<DebitValues, { balance: number }>((q) =>
  q
    .update(users)
    .set({
      balance: sql`${users.balance} - ${slot("amount")}`,
      submitTokens: sql`${tokensNow} - 1`,
      submitTokensAt: sql`greatest(statement_timestamp(), ${users.submitTokensAt})`,
    })
    .where(and(eq(users.id, slot("userId")), gte(users.balance, slot("amount")), sql`${tokensNow} >= 1`))
    .returning({ balance: users.balance, marked: markCharged }),
);

const lockedBalanceAndTokens = statement<Omit<DebitValues, "amount">, { balance: number; tokens: number }>((q) =>
  q
    .select({ balance: users.balance, tokens: sql<number>`${tokensNow}`.as("tokens") })
    .from(users)
    .where(eq(users.id, slot("userId")))
    .for("no key update"),
);

/**
 * Takes `amount` credits and one submit token with one conditional UPDATE
 * (never read-then-write), if the balance covers it and the bucket holds a
 * token. Concurrent charges queue on the row and recheck the conditions on
 * its latest version, so none overdraws or exceeds the rate. Only a refusal
 * reads the row back, to say why.
 *
 * The user's row stays locked until the caller's transaction ends; the
 * caller's next statement counts their unfinished jobs under that lock and
 * writes the job and its ledger entry only under the cap
 * (unfinished-cap.ts), throwing UnfinishedJobsCapReached otherwise.
 */
export async function debitBalance(tx: Runner, userId: string, amount: number, limits: SubmitLimits): Promise<DebitResult> {
  const values = { userId, amount, burst: limits.burst, ratePerSecond: limits.ratePerSecond };
  const [debited] = await debit.run(tx, values);
  if (debited) return { ok: true, balance: debited.balance };

  // Locked, so the row holds still while it is read and, should nothing stand in the way any more, charged.
  const [locked] = await lockedBalanceAndTokens.run(tx, values);
  if (!locked) return { ok: false, refusal: { kind: "insufficient-balance", balance: 0 } };
  const refusal = chargeRefusal({ balance: locked.balance, tokens: Number(locked.tokens) }, amount, limits);
  if (refusal) return { ok: false, refusal };
  // Under the lock only time moves, and time only adds tokens; only a database clock stepping
  // back could refuse this, and then the bucket is as good as empty.
  const [again] = await debit.run(tx, values);
  if (!again) return { ok: false, refusal: { kind: "rate-limited", retryAfterMs: Math.ceil(1000 / limits.ratePerSecond) } };
  return { ok: true, balance: again.balance };
}

type CapRefusal = { kind: "refused"; refusal: ChargeRefusal };

/** Runs a charge's transaction (a savepoint in a transaction); a user found at the unfinished-jobs cap rolls it back and is refused. */
export function inChargeTransaction<T>(db: Db | Tx, work: (tx: Tx) => Promise<T>): Promise<T | CapRefusal> {
  return refusedAtCap(db.transaction(work));
}

/**
 * The same on a connection of its own, its BEGIN pipelined with the first
 * statements (pipelined-transaction.ts): for work made of statements only
 * (statement.ts), which run on any connection.
 */
export function inPipelinedChargeTransaction<T>(db: Db, work: (tx: Runner) => Promise<T>): Promise<T | CapRefusal> {
  return refusedAtCap(inPipelinedTransaction(clientOf(db), work));
}

async function refusedAtCap<T>(transaction: Promise<T>): Promise<T | CapRefusal> {
  try {
    return await transaction;
  } catch (error) {
    if (error instanceof UnfinishedJobsCapReached) return { kind: "refused", refusal: atUnfinishedCap(error.unfinishedJobs) };
    throw error;
  }
}
