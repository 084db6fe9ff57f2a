import { and, eq, getTableColumns, inArray, sql, type SQL, type WithSubquery } from "drizzle-orm";
import type { PgColumn, PgUpdateSetSource, WithSubqueryWithSelection } from "drizzle-orm/pg-core";
import { transitions, type TransitionName } from "../../domain/job-status.js";
import type { JobHintSource } from "../../events/job-hints.js";
import type { DbOrTx } from "../client.js";
import { jobEvents, jobs, type JobRow } from "../schema.js";
import { rowOf, slot, statement, type Statement } from "../statement.js";

/** Columns a transition sets besides the ones every transition sets (status, seq, updated_at). */
export type JobChanges = Omit<PgUpdateSetSource<typeof jobs>, "status" | "seq" | "updatedAt">;

/** The moved row's columns, for an event message or a side insert computed from it. */
export type MovedJob = WithSubqueryWithSelection<(typeof jobs)["_"]["columns"], "moved">;

/** The event's message: fixed, or computed from the moved row (say, its attempt number). */
export type EventMessage = string | null | ((moved: MovedJob) => SQL | PgColumn);

/** Each value may be a statement's slot (statement.ts), for a transition built once (prepareTransition). */
export interface TransitionRequest {
  jobId: string | SQL;
  transition: TransitionName;
  /** Required for a fenced transition: only the attempt holding the job may make it. */
  fence?: { attempt: number | SQL };
  /** The job must be this user's (an admin passes none). */
  owner?: string | SQL;
  /** The job must be of this type (a claim comes from that type's queue). */
  type?: string | SQL;
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

/** The job rows a statement returns, decoded as drizzle decodes the table's. */
export const jobRowOf = rowOf(jobs);

/**
 * transitionJob as a statement built once (statement.ts), for the hot paths:
 * the request's slots (`slot(name)`, its job id's included) are filled from
 * `values` on each run. Null, as transitionJob.
 */
export function prepareTransition<Values extends Record<string, unknown>>(request: TransitionRequest) {
  const prepared: Statement<Values, JobRow> = statement((q) => {
    const { moved, event } = transitionStatement(q, request);
    return q.with(moved, event).select().from(moved);
  }, jobRowOf);
  return async (q: DbOrTx, values: Values): Promise<JobRow | null> => (await prepared.run(q, values))[0] ?? null;
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

/** The values of a job creationStatement writes, its slots' names. */
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
 * The job's values are the statement's slots, named as NewQueuedJob's fields.
 */
export function creationStatement(q: DbOrTx, when: SQL) {
  const created = q.$with("created", getTableColumns(jobs)).as(sql`
    insert into ${jobs} (user_id, type, status, priority, params, max_attempts, cost, idempotency_key, seq)
    select ${slot("userId")}::uuid, ${slot("type")}::text, 'QUEUED', ${slot("priority")}::smallint, ${slot("params", jobs.params)}::jsonb,
           ${slot("maxAttempts")}::int, ${slot("cost")}::int, ${slot("idempotencyKey")}::text, 1
    where ${when}
    returning *`);
  return { created, event: eventOf(q, created, null) };
}

/** The event a job row just written is numbered for (its `seq`), at the row's `updated_at`. */
function eventOf(q: DbOrTx, row: WithSubquery, message: SQL | PgColumn | string | null) {
  return q.$with("event", {}).as(insertEventsFrom(row, typeof message === "string" || message === null ? sql`${message}::text` : message));
}

/** The insert of the events of the job rows `source` returns, each with its `message`. */
function insertEventsFrom(source: WithSubquery | SQL, message: SQL | PgColumn) {
  return sql`
    insert into ${jobEvents} (job_id, seq, status, progress, message, at)
    select id, seq, status, progress, ${message}, updated_at from ${source}`;
}

export interface ProgressReportRow {
  jobId: string;
  attempt: number;
  fraction: number;
  message: string | null;
}

/**
 * The `progress` transition of many jobs in one statement, each fenced by its
 * own attempt, each with its event. Answers the attempts that moved; a
 * report missing from the answer was fenced out.
 */
export async function transitionProgressOfMany(q: DbOrTx, reports: readonly ProgressReportRow[]): Promise<JobHintSource[]> {
  if (reports.length === 0) return [];
  const rows = await progressOfMany.run(q, {
    jobIds: reports.map((r) => r.jobId),
    attempts: reports.map((r) => r.attempt),
    fractions: reports.map((r) => r.fraction),
    messages: reports.map((r) => r.message),
  });
  return rows.map((row) => ({ id: row.id, seq: row.seq, status: row.status, attempts: row.attempts, userId: row.user_id }));
}

// The reports go as four arrays, one parameter each, so the text is the same for any number of them.
const progressOfMany = statement<
  { jobIds: string[]; attempts: number[]; fractions: number[]; messages: (string | null)[] },
  { id: string; seq: number; status: JobRow["status"]; attempts: number; user_id: string }
>(() => {
  const { from, to } = transitions.progress;
  return sql`
    with report as (
      select * from unnest(
        ${slot("jobIds")}::uuid[], ${slot("attempts")}::int[], ${slot("fractions")}::float8[], ${slot("messages")}::text[]
      ) as r(job_id, attempt, fraction, message)
    ),
    -- Rows locked in id order, as heartbeats lock them: two statements updating many of one
    -- worker's jobs at once cannot deadlock.
    locked as materialized (
      select ${jobs.id} from ${jobs} join report on ${jobs.id} = report.job_id
      order by ${jobs.id} for no key update of ${jobs}
    ),
    moved as (
      update ${jobs} set status = ${to}, seq = ${jobs.seq} + 1, updated_at = now(), heartbeat_at = now(),
        progress = report.fraction, progress_message = report.message
      from report, locked
      where ${jobs.id} = report.job_id and ${jobs.id} = locked.id and ${jobs.attempts} = report.attempt
        and ${jobs.status} in (${sql.join(from.map((status) => sql`${status}`), sql`, `)})
      returning ${jobs.id}, ${jobs.seq}, ${jobs.status}, ${jobs.attempts}, ${jobs.userId}, ${jobs.progress}, ${jobs.progressMessage}, ${jobs.updatedAt}
    ),
    event as (${insertEventsFrom(sql.raw("moved"), sql.raw("progress_message"))})
    select id, seq, status, attempts, user_id from moved`;
});
