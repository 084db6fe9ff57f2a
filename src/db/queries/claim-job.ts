import { sql } from "drizzle-orm";
import type { JobHints } from "../../events/job-hints.js";
import type { Db } from "../client.js";
import { jobs, type JobRow } from "../schema.js";
import { slot } from "../statement.js";
import { prepareTransition, type TransitionRequest } from "./transition-job.js";

export interface ClaimOptions {
  type: string;
  /**
   * Null: claim only a job waiting to run (QUEUED or RETRYING). A number
   * (for a redelivered message): also take over a RUNNING job whose
   * heartbeat is older than this many milliseconds, its holder being gone.
   */
  takeOverAfterMs: number | null;
}

/**
 * Moves a job to RUNNING as a new attempt, with one conditional UPDATE.
 *
 * A redelivery alone does not mean the job's holder died: a connection blip
 * hands the message to another consumer while the first still runs it. The
 * heartbeat in PostgreSQL says who holds a RUNNING job, so a takeover claims
 * it only when `heartbeat_at` is older than `takeOverAfterMs` by the
 * database's clock (no skew between workers), in the same statement as the
 * claim: two consumers cannot both see it stale and both take it. A fresh
 * heartbeat, like a finished or cancelled job, answers null: ack and skip.
 */
export async function claimJob(db: Db, hints: JobHints, jobId: string, options: ClaimOptions): Promise<JobRow | null> {
  const job =
    options.takeOverAfterMs === null
      ? await claim(db, { jobId, type: options.type })
      : await takeOver(db, { jobId, type: options.type, staleAfterSeconds: options.takeOverAfterMs / 1000 });
  if (job) hints.announce(job);
  return job;
}

const claimRequest = {
  jobId: slot("jobId"),
  type: slot("type"),
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
} satisfies Omit<TransitionRequest, "transition">;

const claim = prepareTransition<{ jobId: string; type: string }>({ ...claimRequest, transition: "claim" });

const takeOver = prepareTransition<{ jobId: string; type: string; staleAfterSeconds: number }>({
  ...claimRequest,
  transition: "takeOver",
  when: sql`(${jobs.status} <> 'RUNNING' or ${jobs.heartbeatAt} < now() - make_interval(secs => ${slot("staleAfterSeconds")}))`,
});

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
