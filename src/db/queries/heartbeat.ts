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
 *
 * Returns the attempts that no longer hold their job (cancelled, taken over,
 * re-queued as stalled): their worker stops them even when the hint that
 * said so was lost.
 */
export async function recordHeartbeats(db: Db, held: HeldAttempt[]): Promise<HeldAttempt[]> {
  if (held.length === 0) return [];
  const pairs = sql.join(
    held.map(({ jobId, attempt }) => sql`(${jobId}::uuid, ${attempt}::int)`),
    sql`, `,
  );
  const alive = await db
    .update(jobs)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(jobs.status, "RUNNING"), sql`(${jobs.id}, ${jobs.attempts}) in (${pairs})`))
    .returning({ jobId: jobs.id, attempt: jobs.attempts });
  const stillHeld = new Set(alive.map((a) => `${a.jobId} ${a.attempt}`));
  return held.filter((h) => !stillHeld.has(`${h.jobId} ${h.attempt}`));
}
