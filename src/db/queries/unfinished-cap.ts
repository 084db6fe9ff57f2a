import { and, eq, sql, type Placeholder, type SQL } from "drizzle-orm";
import { unfinishedStatuses } from "../../domain/job-status.js";
import type { DbOrTx } from "../client.js";
import { jobs } from "../schema.js";

/** Thrown out of a charge's transaction, to roll the charge back: the user has `max` unfinished jobs already. */
export class UnfinishedJobsCapReached extends Error {
  constructor(readonly unfinishedJobs: number) {
    super(`${unfinishedJobs} unfinished jobs`);
    this.name = "UnfinishedJobsCapReached";
  }
}

// Written out, not bound: a generic plan of a prepared statement cannot match bound statuses
// with the partial index's predicate.
const isUnfinished = sql`${jobs.status} in (${sql.raw(unfinishedStatuses.map((status) => `'${status}'`).join(", "))})`;

/**
 * CTEs counting the user's unfinished jobs no further than `max` (from the
 * jobs_user_unfinished index alone, however many jobs they have): `counted`
 * has one row, `unfinished`; `underCap` is the condition to write under.
 *
 * The statement using them must start after the user's row is locked (by
 * the debit): a charge of the same user then waits for this transaction, and
 * the statement's snapshot, taken when it starts, sees every job they
 * committed. Counting within the debit's own statement would not: its
 * snapshot predates the wait for the lock.
 *
 * `userId` and `max` may be a statement's slots (statement.ts).
 */
export function unfinishedJobsUpTo(q: DbOrTx, userId: string | SQL, max: number | Placeholder) {
  const capped = q.$with("capped").as(
    q
      .select({ one: sql`1`.as("one") })
      .from(jobs)
      .where(and(eq(jobs.userId, userId), isUnfinished))
      .limit(max),
  );
  const counted = q.$with("counted").as(q.select({ unfinished: sql<number>`count(*)::int`.as("unfinished") }).from(capped));
  return { capped, counted, underCap: sql`(select unfinished from ${counted}) < ${max}` };
}
