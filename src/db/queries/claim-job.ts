import { sql } from "drizzle-orm";
import type { JobHints } from "../../events/job-hints.js";
import type { Db } from "../client.js";
import { jobs, type JobRow } from "../schema.js";
import { transitionJob } from "./transition-job.js";

/**
 * Moves a job to RUNNING as a new attempt, with one conditional UPDATE.
 * `takeOver` also claims a RUNNING job: its message was redelivered, so the
 * consumer that held it is gone. Null: cancelled, finished or a duplicate.
 */
export async function claimJob(
  db: Db,
  hints: JobHints,
  jobId: string,
  options: { type: string; takeOver: boolean },
): Promise<JobRow | null> {
  const job = await transitionJob(db, {
    jobId,
    transition: options.takeOver ? "takeOver" : "claim",
    type: options.type,
    changes: {
      attempts: sql`${jobs.attempts} + 1`,
      // A new attempt starts over, so its progress does too.
      progress: 0,
      progressMessage: null,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      heartbeatAt: sql`now()`,
      nextAttemptAt: null,
    },
    message: (moved) => sql`case when ${moved.attempts} > 1 then 'attempt ' || ${moved.attempts} || ' of ' || ${moved.maxAttempts} end`,
  });
  if (job) hints.announce(job);
  return job;
}

/**
 * Whether the claim that returned this row is the job's first: a job's first
 * event (seq 1) is its creation, and a claim is the only transition from it
 * that leaves the job unfinished, so the first claim's event is seq 2. A claim
 * after a hand-back (releaseJob) or a retry comes later, though it may find
 * `started_at` null again, so the job's wait is observed once.
 */
export function isFirstClaim(job: Pick<JobRow, "seq">): boolean {
  return job.seq === 2;
}
