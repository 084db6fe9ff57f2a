import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { JobsQuery, MyJobUpdatedSubscription } from "../api/operations.js";
import { subscribeRetrying } from "../api/retrying-subscription.js";
import type { JobFieldsFragment, JobStatus } from "../gql/graphql.js";
import { messageOf, shortId } from "../format.js";
import type { Session } from "../session.js";
import { statusLabel } from "../ui/status-badge.js";
import { useVisibleInterval } from "../ui/use-visible-interval.js";
import { appendLoaded, applyUpdate, emptyList, isUnfinished, mergeFirstRows, newerOf, type LoadedList, type ReadPage } from "./job-list-state.js";
import { createListReads } from "./list-reads.js";

export type Job = JobFieldsFragment;

export const pageSize = 10;
const maxPage = 100;
// Queue positions and start estimates change as other jobs finish, which no event of this job reports.
const refreshEveryMs = 5_000;

export interface JobList {
  jobs: Job[];
  /** "" for every status, else the one status shown. */
  filter: string;
  setFilter(status: string): void;
  hasMore: boolean;
  /** The first page of the filter is being read. */
  loading: boolean;
  loadingMore: boolean;
  /** A read of the list failed. */
  error: string | null;
  /** Live updates failed and are being retried; cleared once a resubscription works. */
  liveError: string | null;
  /** Reads the next page; resolves to the id of the first row it added, if any. */
  loadMore(): Promise<string | null>;
  /** A job's state from a mutation's answer. */
  upsert(job: Job): void;
  /** The last status change worth telling a screen reader about. */
  announcement: string;
}

const statusesOf = (filter: string): JobStatus[] => (filter ? [filter as JobStatus] : []);

/**
 * The signed-in user's jobs (every job, for an admin): read page by page,
 * kept current by one `myJobUpdated` subscription (which opens with the
 * user's unfinished jobs, so nothing changed before it listened is lost),
 * read again after the socket reconnects or the stream is subscribed again
 * (updates may have been missed meanwhile), and every few seconds while a
 * listed job waits in a queue and the tab is visible.
 */
export function useJobList(session: Session): JobList {
  const { request, live, refreshMe, reject, isAdmin } = session;
  const [filter, setFilter] = useState("");
  const [list, setListState] = useState<LoadedList<Job>>(emptyList);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const filterRef = useRef(filter);
  // The list as last set, for the merges (state updates are not synchronous).
  const listRef = useRef<LoadedList<Job>>(emptyList);
  const reads = useRef(createListReads()).current;
  // Updates that arrived while each read was in flight: a read's answer may be older than them.
  const inFlight = useRef(new Set<Map<string, Job>>()).current;

  const setList = useCallback((next: (current: LoadedList<Job>) => LoadedList<Job>) => {
    const updated = next(listRef.current);
    if (updated === listRef.current) return;
    listRef.current = updated;
    setListState(updated);
  }, []);

  /** `first` rows after `after`, and the updates that arrived while they were read. */
  const readPage = useCallback(
    async (first: number, after: string | null) => {
      const duringRead = new Map<string, Job>();
      inFlight.add(duringRead);
      try {
        const status = statusesOf(filterRef.current);
        const data = await request(JobsQuery, { first, after, status: status.length ? status : null });
        const page: ReadPage<Job> = { jobs: data.jobs.edges.map((edge) => edge.node), pageInfo: data.jobs.pageInfo };
        return { page, duringRead: [...duringRead.values()] };
      } finally {
        inFlight.delete(duringRead);
      }
    },
    [request, inFlight],
  );

  /** Reads the first rows again; resolves to whether the gateway answered (the answer may be dropped as outdated). */
  const readFirst = useCallback(
    async (kind: "reset" | "refresh"): Promise<boolean> => {
      if (kind === "reset") setLoading(true);
      const first = kind === "reset" ? pageSize : Math.min(maxPage, Math.max(pageSize, listRef.current.jobs.length));
      const number = reads.begin(kind);
      try {
        const read = await readPage(first, null);
        if (!reads.mayApply(number, kind)) return true;
        reads.applied(number);
        const statuses = statusesOf(filterRef.current);
        setList((current) => mergeFirstRows(kind === "reset" ? emptyList : current, read.page, read.duringRead, statuses));
        setError(null);
        return true;
      } catch (err) {
        if (reads.isCurrent(number)) setError(messageOf(err));
        return false;
      } finally {
        if (kind === "reset" && reads.isCurrent(number)) setLoading(false);
      }
    },
    [readPage, reads, setList],
  );

  useEffect(() => {
    filterRef.current = filter;
    void readFirst("reset");
  }, [filter, readFirst]);

  const loadMore = useCallback(async (): Promise<string | null> => {
    const from = listRef.current.cursor.endCursor;
    const known = new Set(listRef.current.jobs.map((job) => job.id));
    setLoadingMore(true);
    const number = reads.begin("more");
    try {
      const read = await readPage(pageSize, from);
      // The list moved meanwhile (a new filter, or a refresh that moved its end): this page no longer follows it.
      if (!reads.mayApply(number, "more") || listRef.current.cursor.endCursor !== from) return null;
      reads.applied(number);
      setList((current) => appendLoaded(current, read.page, read.duringRead, statusesOf(filterRef.current)));
      return listRef.current.jobs.find((job) => !known.has(job.id))?.id ?? null;
    } catch (err) {
      if (reads.isCurrent(number)) setError(messageOf(err));
      return null;
    } finally {
      setLoadingMore(false);
    }
  }, [readPage, reads, setList]);

  const upsert = useCallback(
    (job: Job) => {
      for (const duringRead of inFlight) duringRead.set(job.id, newerOf(duringRead.get(job.id), job));
      setList((current) => applyUpdate(current, job, statusesOf(filterRef.current)));
    },
    [inFlight, setList],
  );

  useEffect(() => {
    // Missed updates: read the rows and the balance again.
    const catchUp = () => {
      refreshMe();
      return readFirst("refresh");
    };
    const stop = subscribeRetrying(
      live,
      MyJobUpdatedSubscription,
      { includeCurrent: true },
      {
        next: ({ myJobUpdated: job }) => {
          const before = listRef.current.jobs.find((j) => j.id === job.id);
          if (before && before.status !== job.status) setAnnouncement(`${job.type} ${shortId(job.id)}: ${statusLabel(job.status)}`);
          // A new job was charged, a finished one may have been refunded (many at once are read once).
          if (!before || before.status !== job.status) refreshMe();
          upsert(job);
        },
        unauthenticated: (err) => reject(`The gateway refused the token: ${err.message}`),
        interrupted: (err, delayMs) => setLiveError(`Live updates stopped (${err.message}); trying again in ${Math.round(delayMs / 1000)} s.`),
        // The stream may stay quiet (no unfinished job): a list read answered after resubscribing is evidence enough.
        resubscribed: (confirm) => void catchUp().then((ok) => ok && confirm()),
        recovered: () => setLiveError(null),
      },
      { endsByItself: false },
    );
    const unlisten = live.onState((_state, reconnected) => {
      if (reconnected) void catchUp();
    });
    return () => {
      unlisten();
      stop();
    };
  }, [live, upsert, readFirst, refreshMe, reject]);

  const needsRefresh = list.jobs.some((job) => job.status === "QUEUED" || (isAdmin && isUnfinished(job.status)));
  const refresh = useCallback(() => void readFirst("refresh"), [readFirst]);
  useVisibleInterval(refresh, needsRefresh ? refreshEveryMs : null);

  return {
    jobs: list.jobs,
    filter,
    setFilter,
    hasMore: list.cursor.hasNextPage,
    loading,
    loadingMore,
    error,
    liveError,
    loadMore,
    upsert,
    announcement,
  };
}
