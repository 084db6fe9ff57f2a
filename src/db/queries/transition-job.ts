import { and, eq, getTableColumns, inArray, sql, type SQL, type WithSubquery } from "drizzle-orm";
import type { PgColumn, PgUpdateSetSource, WithSubqueryWithSelection } from "drizzle-orm/pg-core";
import { transitions, type TransitionName } from "../../domain/job-status.js";
import type { DbOrTx } from "../client.js";
import { jobEvents, jobs, type JobRow } from "../schema.js";

/** Columns a transition sets besides the ones every transition sets (status, seq, updated_at). */
export type JobChanges = Omit<PgUpdateSetSource<typeof jobs>, "status" | "seq" | "updatedAt">;

/** The moved row's columns, for an event message or a side insert computed from it. */
export type MovedJob = WithSubqueryWithSelection<(typeof jobs)["_"]["columns"], "moved">;

/** The event's message: fixed, or computed from the moved row (say, its attempt number). */
export type EventMessage = string | null | ((moved: MovedJob) => SQL | PgColumn);

export interface TransitionRequest {
  jobId: string;
  transition: TransitionName;
  /** Required for a fenced transition: only the attempt holding the job may make it. */
  fence?: { attempt: number };
  /** The job must be this user's (an admin passes none). */
  owner?: string;
  /** The job must be of this type (a claim comes from that type's queue). */
  type?: string;
  changes?: JobChanges;
  message: EventMessage;
  /** Any further condition, for a caller composing the statement (transitionStatement). */
  when?: SQL;
}

/**
 * The only writer of a job's status, its `seq` and its events (this module
 * creates jobs too). Writers announce the rows it returns after their commit.
 *
 * Moves a job along one transition of domain/job-status.ts in one statement:
 * the row is updated only if its status is one the transition starts from
 * (and, fenced, its attempt is the writer's), `seq` goes up by one and the
 * event numbered by it is written from the updated row. Null: the job is not
 * in a state the transition starts from (or fenced out, or not the owner's).
 */
export async function transitionJob(q: DbOrTx, request: TransitionRequest): Promise<JobRow | null> {
  const { moved, event } = transitionStatement(q, request);
  const [job] = await q.with(moved, event).select().from(moved);
  return job ?? null;
}

/**
 * The two CTEs of a transition, `moved` (the updated row) and `event` (its
 * event), for callers that write more in the same statement, reading `moved`.
 */
export function transitionStatement(q: DbOrTx, request: TransitionRequest) {
  const { from, to, fenced } = transitions[request.transition];
  if (fenced && !request.fence) throw new Error(`transition ${request.transition} is fenced: an attempt is required`);
  const moved = q.$with("moved").as(
    q
      .update(jobs)
      .set({ ...request.changes, status: to, seq: sql`${jobs.seq} + 1`, updatedAt: sql`now()` })
      .where(
        and(
          eq(jobs.id, request.jobId),
          inArray(jobs.status, [...from]),
          request.fence ? eq(jobs.attempts, request.fence.attempt) : undefined,
          request.owner !== undefined ? eq(jobs.userId, request.owner) : undefined,
          request.type !== undefined ? eq(jobs.type, request.type) : undefined,
          request.when,
        ),
      )
      .returning(),
  );
  const message = typeof request.message === "function" ? request.message(moved) : request.message;
  return { moved, event: eventOf(q, moved, message) };
}

export interface NewQueuedJob {
  userId: string;
  type: string;
  priority: number;
  params: unknown;
  maxAttempts: number;
  cost: number;
  idempotencyKey: string | null;
}

/**
 * The two CTEs that create a job, `created` (QUEUED, seq 1, only when `when`
 * holds) and `event` (its first event), for the submit statement to compose.
 */
export function creationStatement(q: DbOrTx, job: NewQueuedJob, when: SQL) {
  const created = q.$with("created", getTableColumns(jobs)).as(sql`
    insert into ${jobs} (user_id, type, status, priority, params, max_attempts, cost, idempotency_key, seq)
    select ${job.userId}::uuid, ${job.type}::text, 'QUEUED', ${job.priority}::smallint, ${JSON.stringify(job.params)}::jsonb,
           ${job.maxAttempts}::int, ${job.cost}::int, ${job.idempotencyKey}::text, 1
    where ${when}
    returning *`);
  return { created, event: eventOf(q, created, null) };
}

/** The event a job row just written is numbered for (its `seq`), at the row's `updated_at`. */
function eventOf(q: DbOrTx, row: WithSubquery, message: SQL | PgColumn | string | null) {
  return q.$with("event", {}).as(sql`
    insert into ${jobEvents} (job_id, seq, status, progress, message, at)
    select id, seq, status, progress, ${typeof message === "string" || message === null ? sql`${message}::text` : message}, updated_at
    from ${row}`);
}
