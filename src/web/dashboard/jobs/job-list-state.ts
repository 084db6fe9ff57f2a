/**
 * The job list as the page keeps it, newest first, merged from three
 * sources that may arrive in any order: pages read with `jobs`, the
 * `myJobUpdated` subscription, and answers to submit, cancel and retry.
 * A job's `seq` only grows, so the copy with the higher seq is the newer
 * one; an equal seq may still carry fresher derived fields (queue position,
 * estimated start), so it replaces the old copy. Pure: no DOM, no I/O.
 *
 * A read answers for the moment it was made: an update that arrived while
 * it was in flight (`duringRead`) may be newer than the read's copy, or
 * about a job the read could not see yet, so every merge of a read takes
 * them into account.
 */

export interface ListedJob {
  id: string;
  seq: number;
  status: string;
  createdAt: string;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** The rows loaded so far and where the next page ("Load more") starts. */
export interface LoadedList<T extends ListedJob> {
  jobs: T[];
  cursor: PageInfo;
}

/** A page as read: its rows and the page info of the read. */
export interface ReadPage<T extends ListedJob> {
  jobs: readonly T[];
  pageInfo: PageInfo;
}

export const emptyList: LoadedList<never> = { jobs: [], cursor: { hasNextPage: false, endCursor: null } };

export const newerOf = <T extends ListedJob>(current: T | undefined, incoming: T): T => (current && current.seq > incoming.seq ? current : incoming);

/** The server's order: newest first by creation time, then by id. */
const byNewestFirst = (a: ListedJob, b: ListedJob) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** Whether a job belongs in a list filtered to `statuses` (empty: every status). */
export const matchesFilter = (job: { status: string }, statuses: readonly string[]) => statuses.length === 0 || statuses.includes(job.status);

/**
 * One job's latest state into the rows: replaces its row in place (unless
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
 * Whether a job not listed belongs among the rows loaded so far: it is
 * newer than the last one, or there is no further page (else it is on a
 * page not loaded yet, and "Load more" brings it).
 */
function belongsInWindow<T extends ListedJob>(list: LoadedList<T>, job: ListedJob): boolean {
  const last = list.jobs.at(-1);
  return !list.cursor.hasNextPage || last === undefined || byNewestFirst(job, last) < 0;
}

/**
 * A job's latest state (live, or a mutation's answer) into the list: its
 * row is updated unless the row is newer, and removed when the job no
 * longer matches the filter; a job not listed is inserted only when it
 * matches and belongs among the loaded rows.
 */
export function applyUpdate<T extends ListedJob>(list: LoadedList<T>, job: T, statuses: readonly string[]): LoadedList<T> {
  const index = list.jobs.findIndex((j) => j.id === job.id);
  if (index >= 0) {
    const kept = newerOf(list.jobs[index], job);
    if (kept === list.jobs[index]) return list;
    if (!matchesFilter(kept, statuses)) return { ...list, jobs: list.jobs.filter((j) => j.id !== job.id) };
    return { ...list, jobs: upsertJob(list.jobs, kept, false) };
  }
  if (!matchesFilter(job, statuses) || !belongsInWindow(list, job)) return list;
  return { ...list, jobs: upsertJob(list.jobs, job, true) };
}

const latestById = <T extends ListedJob>(jobs: readonly T[]) => {
  const byId = new Map<string, T>();
  for (const job of jobs) byId.set(job.id, newerOf(byId.get(job.id), job));
  return byId;
};

/** Each updates arrived during a read applied to the merged rows (newer copies kept, new jobs inserted where they belong). */
const withUpdates = <T extends ListedJob>(list: LoadedList<T>, duringRead: readonly T[], statuses: readonly string[]) =>
  [...latestById(duringRead).values()].reduce((merged, job) => applyUpdate(merged, job, statuses), list);

/**
 * The first rows read again (the list's first read, or a refresh of the
 * loaded rows after a reconnect or for queue positions): the read's rows
 * and order win, each as the newer of its copies. Rows loaded beyond the
 * read window ("Load more") stay, and the cursor moves to the read's only
 * when the window covered every loaded row. A listed row inside the
 * window that the read no longer has (it left the filter) goes, unless it
 * changed during the read.
 */
export function mergeFirstRows<T extends ListedJob>(
  list: LoadedList<T>,
  read: ReadPage<T>,
  duringRead: readonly T[],
  statuses: readonly string[],
): LoadedList<T> {
  const listed = new Map(list.jobs.map((j) => [j.id, j]));
  const readIds = new Set(read.jobs.map((j) => j.id));
  const oldestRead = read.jobs.at(-1);
  const tail =
    read.pageInfo.hasNextPage && oldestRead ? list.jobs.filter((j) => !readIds.has(j.id) && byNewestFirst(j, oldestRead) > 0) : [];
  const head = read.jobs.map((job) => newerOf(listed.get(job.id), job)).filter((job) => matchesFilter(job, statuses));
  const merged: LoadedList<T> = { jobs: [...head, ...tail], cursor: tail.length > 0 ? list.cursor : read.pageInfo };
  return withUpdates(merged, duringRead, statuses);
}

/** A further page ("Load more") appended: a job already listed keeps its newer copy, the cursor moves to the page's. */
export function appendLoaded<T extends ListedJob>(
  list: LoadedList<T>,
  read: ReadPage<T>,
  duringRead: readonly T[],
  statuses: readonly string[],
): LoadedList<T> {
  const merged = { jobs: appendPage(list.jobs, read.jobs), cursor: read.pageInfo };
  return withUpdates(merged, duringRead, statuses);
}

export const unfinishedStatuses: readonly string[] = ["QUEUED", "RUNNING", "RETRYING"];
export const isUnfinished = (status: string) => unfinishedStatuses.includes(status);
export const isRetryable = (status: string) => status === "FAILED" || status === "CANCELLED";
