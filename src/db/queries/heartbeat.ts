import { sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { jobs } from "../schema.js";
import { slot, statement } from "../statement.js";

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
  const alive = await heartbeats.run(db, { jobIds: held.map((h) => h.jobId), attempts: held.map((h) => h.attempt) });
  const stillHeld = new Set(alive.map((a) => `${a.job_id} ${a.attempts}`));
  return held.filter((h) => !stillHeld.has(`${h.jobId} ${h.attempt}`));
}

// The attempts go as two arrays, one parameter each, so the text is the same for any number of them.
// Rows locked in id order, as batched progress writes lock them, so the two cannot deadlock.
const heartbeats = statement<{ jobIds: string[]; attempts: number[] }, { job_id: string; attempts: number }>(
  () => sql`
    with locked as materialized (
      select ${jobs.id} from ${jobs}
      where ${jobs.status} = 'RUNNING'
        and (${jobs.id}, ${jobs.attempts}) in (select * from unnest(${slot("jobIds")}::uuid[], ${slot("attempts")}::int[]))
      order by ${jobs.id} for no key update
    )
    -- Locked rows matched when they were locked, and nothing changes them until this commits.
    update ${jobs} set heartbeat_at = now() from locked
    where ${jobs.id} = locked.id
    returning ${jobs.id} as job_id, ${jobs.attempts}`,
);
