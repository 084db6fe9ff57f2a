import { and, asc, desc, eq, gt, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { JobStatus } from "../../domain/job-status.js";
import type { Db } from "../client.js";
import { sqlArray } from "../sql-array.js";
import { jobEvents, jobs, type JobEventRow, type JobRow } from "../schema.js";
import { rowOf, slot, statement } from "../statement.js";

/** A job as its owner sees it; `ownerId` null means an admin, who sees all. */
export async function findJob(db: Db, jobId: string, ownerId: string | null): Promise<JobRow | null> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(ownerId === null ? eq(jobs.id, jobId) : and(eq(jobs.id, jobId), eq(jobs.userId, ownerId)));
  return job ?? null;
}

export async function findJobsByIds(db: Db, jobIds: string[]): Promise<JobRow[]> {
  if (jobIds.length === 0) return [];
  return jobsByIds.run(db, { jobIds });
}

// The ids as one array parameter, so the text is the same for any number of them (stream reads batch hundreds).
const jobsByIds = statement<{ jobIds: string[] }, Record<string, unknown>, JobRow>(
  (q) => q.select().from(jobs).where(sql`${jobs.id} = any(${slot("jobIds")}::uuid[])`),
  rowOf(jobs),
);

export interface JobCursor {
  createdAt: Date;
  id: string;
}

export interface JobFilter {
  ownerId: string | null;
  statuses?: readonly JobStatus[] | null;
  type?: string | null;
}

/** A page of jobs, newest first, by keyset on (created_at, id). */
export async function listJobs(
  db: Db,
  filter: JobFilter,
  page: { after: JobCursor | null; before: JobCursor | null; limit: number; oldestFirst: boolean },
): Promise<JobRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.ownerId !== null) conditions.push(eq(jobs.userId, filter.ownerId));
  if (filter.statuses?.length) conditions.push(inArray(jobs.status, [...filter.statuses]));
  if (filter.type) conditions.push(eq(jobs.type, filter.type));
  // Newest first: "after" a cursor means older than it.
  if (page.after) conditions.push(olderThan(page.after));
  if (page.before) conditions.push(newerThan(page.before));
  const order = page.oldestFirst ? [asc(jobs.createdAt), asc(jobs.id)] : [desc(jobs.createdAt), desc(jobs.id)];
  return db
    .select()
    .from(jobs)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(page.limit);
}

const olderThan = (c: JobCursor) =>
  or(lt(jobs.createdAt, c.createdAt), and(eq(jobs.createdAt, c.createdAt), lt(jobs.id, c.id)));
const newerThan = (c: JobCursor) =>
  or(gt(jobs.createdAt, c.createdAt), and(eq(jobs.createdAt, c.createdAt), gt(jobs.id, c.id)));

/** Events with seq greater than `after`, in order. */
export async function listJobEvents(db: Db, jobId: string, after: number, limit: number): Promise<JobEventRow[]> {
  return db
    .select()
    .from(jobEvents)
    .where(and(eq(jobEvents.jobId, jobId), gt(jobEvents.seq, after)))
    .orderBy(asc(jobEvents.seq))
    .limit(limit);
}

/** Queue positions are counted up to this one; a job further back is reported at `queuePositionBeyondCount`. */
export const countedQueuePositions = 10_000;
export const queuePositionBeyondCount = countedQueuePositions + 1;

/**
 * The 1-based queue position (1: next of its type to start) of each of these
 * jobs that is QUEUED now; the others are left out. A job with
 * `countedQueuePositions` or more ahead of it gets `queuePositionBeyondCount`.
 *
 * Queue order is RabbitMQ's: priority, highest first, then the time the job
 * entered the queue (its `updated_at`: a job re-queued by retryJob goes to
 * the back, as its new message does), then id; the `jobs_queued` index is in
 * that order. One statement, no sort of the queue: per type, the furthest back
 * of the asked jobs is placed by two counts (the jobs of higher priority, the
 * jobs of its priority before it), then that many jobs are read in index
 * order and numbered. Every read is an index-only range scan of at most
 * `countedQueuePositions` entries.
 */
export async function queuePositions(db: Db, asked: readonly { id: string; type: string }[]): Promise<Map<string, number>> {
  if (asked.length === 0) return new Map();
  const cap = countedQueuePositions;
  // The types come from the caller so the planner knows how many there are
  // (an array literal): its estimate then stays small, and so does its plan.
  const types = [...new Set(asked.map((job) => job.type))];
  const rows = await db.execute<{ id: string; position: number }>(sql`
    with asked as (
      select id, type, priority, updated_at from jobs
      where id = any(${sqlArray([...new Set(asked.map((job) => job.id))], "uuid")}) and status = 'QUEUED'
    ),
    ranked as (
      select ranked.id, ranked.position
      from unnest(${sqlArray(types, "text")}) as asked_type(type)
      cross join lateral (
        select priority, updated_at, id from asked where asked.type = asked_type.type
        order by priority, updated_at desc, id desc limit 1
      ) furthest
      cross join lateral (
        select
          (select count(*) from (
            select from jobs q where q.type = asked_type.type and q.status = 'QUEUED' and q.priority > furthest.priority
            limit ${cap}) higher)
          + (select count(*) from (
            select from jobs q where q.type = asked_type.type and q.status = 'QUEUED' and q.priority = furthest.priority
              and (q.updated_at, q.id) < (furthest.updated_at, furthest.id)
            limit ${cap}) same) as ahead
      ) reach
      cross join lateral (
        select front.id, row_number() over (order by front.priority desc, front.updated_at, front.id) as position
        from (
          select id, priority, updated_at from jobs q where q.type = asked_type.type and q.status = 'QUEUED'
          order by q.priority desc, q.updated_at, q.id
          limit least(reach.ahead + 1, ${cap})
        ) front
      ) ranked
    )
    select asked.id, coalesce(ranked.position, ${queuePositionBeyondCount})::int as position
    from asked left join ranked using (id)`);
  return new Map(rows.map((row) => [row.id, row.position]));
}

export interface QueueCounts {
  type: string;
  status: JobStatus;
  count: number;
}

export async function countJobsByTypeAndStatus(db: Db, statuses: readonly JobStatus[]): Promise<QueueCounts[]> {
  return db
    .select({ type: jobs.type, status: jobs.status, count: sql<number>`count(*)::int` })
    .from(jobs)
    .where(inArray(jobs.status, [...statuses]))
    .groupBy(jobs.type, jobs.status);
}
