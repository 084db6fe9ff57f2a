import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { jobs } from "../schema.js";

export interface HeldAttempt {
  jobId: string;
  attempt: number;
}

/**
 * Marks the given attempts as alive; no event, it is bookkeeping only. Matched
 * on the attempt too, so a worker still running a superseded attempt cannot
 * keep the new holder's job looking alive.
 */
export async function recordHeartbeats(db: Db, held: HeldAttempt[]): Promise<void> {
  if (held.length === 0) return;
  const pairs = sql.join(
    held.map(({ jobId, attempt }) => sql`(${jobId}::uuid, ${attempt}::int)`),
    sql`, `,
  );
  await db
    .update(jobs)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(jobs.status, "RUNNING"), sql`(${jobs.id}, ${jobs.attempts}) in (${pairs})`));
}
