import { and, asc, desc, eq, gt, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { JobStatus } from "../../domain/job-status.js";
import type { Db } from "../client.js";
import { jobEvents, jobs, type JobEventRow, type JobRow } from "../schema.js";

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
  return db.select().from(jobs).where(inArray(jobs.id, jobIds));
}

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

/** How many QUEUED jobs of the same type RabbitMQ hands out before this one (0: next). */
export async function queuePosition(db: Db, job: JobRow): Promise<number> {
  const [row] = await db
    .select({ ahead: sql<number>`count(*)::int` })
    .from(jobs)
    .where(
      and(
        eq(jobs.type, job.type),
        eq(jobs.status, "QUEUED"),
        or(
          gt(jobs.priority, job.priority),
          and(eq(jobs.priority, job.priority), lt(jobs.createdAt, job.createdAt)),
        ),
      ),
    );
  return row?.ahead ?? 0;
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
