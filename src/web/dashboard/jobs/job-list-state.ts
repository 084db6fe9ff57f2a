/**
 * The job list as the page keeps it, newest first, merged from three
 * sources that may arrive in any order: pages read with `jobs`, the
 * `myJobUpdated` subscription, and answers to submit, cancel and retry.
 * A job's `seq` only grows, so the copy with the higher seq is the newer
 * one; an equal seq may still carry fresher derived fields (queue position,
 * estimated start), so it replaces the old copy. Pure: no DOM, no I/O.
 */

export interface ListedJob {
  id: string;
  seq: number;
  status: string;
  createdAt: string;
}

const newerOf = <T extends ListedJob>(current: T | undefined, incoming: T): T => (current && current.seq > incoming.seq ? current : incoming);

const byNewestFirst = (a: ListedJob, b: ListedJob) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/**
 * One job's latest state into the list: replaces its row in place (unless
 * the row is newer), or, when `addIfMissing`, inserts it where it belongs
 * by creation time.
 */
export function upsertJob<T extends ListedJob>(jobs: readonly T[], job: T, addIfMissing: boolean): T[] {
  const index = jobs.findIndex((j) => j.id === job.id);
  if (index >= 0) {
    const kept = newerOf(jobs[index], job);
    if (kept === jobs[index]) return jobs as T[];
    const next = [...jobs];
    next[index] = kept;
    return next;
  }
  if (!addIfMissing) return jobs as T[];
  const at = jobs.findIndex((j) => byNewestFirst(job, j) <= 0);
  return at < 0 ? [...jobs, job] : [...jobs.slice(0, at), job, ...jobs.slice(at)];
}

/** A further page ("Load more") after the rows already shown; a job already listed keeps its newer copy. */
export function appendPage<T extends ListedJob>(jobs: readonly T[], page: readonly T[]): T[] {
  let next = [...jobs];
  for (const job of page) {
    next = next.some((j) => j.id === job.id) ? upsertJob(next, job, false) : [...next, job];
  }
  return next;
}

/**
 * The first pages read again (after a reconnect, or to refresh ETAs): their
 * order wins, but a row the subscription already moved past keeps its newer
 * copy, and a listed job newer than every re-read one stays on top.
 */
export function replaceWithFresh<T extends ListedJob>(jobs: readonly T[], fresh: readonly T[]): T[] {
  const current = new Map(jobs.map((j) => [j.id, j]));
  const merged = fresh.map((job) => newerOf(current.get(job.id), job));
  const oldestFresh = fresh.at(-1);
  const freshIds = new Set(fresh.map((j) => j.id));
  const missingNewer = jobs.filter((j) => !freshIds.has(j.id) && oldestFresh !== undefined && byNewestFirst(j, oldestFresh) < 0);
  return missingNewer.reduce((list, job) => upsertJob(list, job, true), merged);
}

/** Whether a job belongs in a list filtered to `statuses` (empty: every status). */
export const matchesFilter = (job: { status: string }, statuses: readonly string[]) => statuses.length === 0 || statuses.includes(job.status);

export const unfinishedStatuses: readonly string[] = ["QUEUED", "RUNNING", "RETRYING"];
export const isUnfinished = (status: string) => unfinishedStatuses.includes(status);
export const isRetryable = (status: string) => status === "FAILED" || status === "CANCELLED";
