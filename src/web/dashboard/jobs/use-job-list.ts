import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { JobsQuery, MyJobUpdatedSubscription } from "../api/operations.js";
import type { JobFieldsFragment, JobStatus } from "../gql/graphql.js";
import { shortId } from "../format.js";
import type { Session } from "../session.js";
import { statusLabel } from "../ui/status-badge.js";
import { appendPage, isUnfinished, matchesFilter, replaceWithFresh, upsertJob } from "./job-list-state.js";

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
  loading: boolean;
  error: string | null;
  loadMore(): void;
  /** A job's state from a mutation's answer. */
  upsert(job: Job): void;
  /** The last status change worth telling a screen reader about. */
  announcement: string;
}

const statusesOf = (filter: string): JobStatus[] => (filter ? [filter as JobStatus] : []);

/**
 * The signed-in user's jobs (every job, for an admin): read page by page,
 * kept current by one `myJobUpdated` subscription, read again after the
 * socket reconnects (updates may have been missed meanwhile) and every few
 * seconds while a listed job waits in a queue.
 */
export function useJobList(session: Session): JobList {
  const { request, live, refreshMe, reject, isAdmin } = session;
  const [filter, setFilter] = useState("");
  const [jobs, setJobs] = useState<Job[]>([]);
  const [cursor, setCursor] = useState<{ hasNextPage: boolean; endCursor: string | null }>({ hasNextPage: false, endCursor: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const filterRef = useRef(filter);
  const jobsRef = useRef(jobs);
  jobsRef.current = jobs;
  // Answers to an older filter's reads are dropped.
  const generation = useRef(0);

  const read = useCallback(
    async (first: number, after: string | null) => {
      const status = statusesOf(filterRef.current);
      const data = await request(JobsQuery, { first, after, status: status.length ? status : null });
      return { page: data.jobs.edges.map((edge) => edge.node), pageInfo: data.jobs.pageInfo };
    },
    [request],
  );

  const reload = useCallback(
    async (mode: "reset" | "refresh") => {
      const mine = mode === "reset" ? ++generation.current : generation.current;
      if (mode === "reset") setLoading(true);
      try {
        const first = mode === "reset" ? pageSize : Math.min(maxPage, Math.max(pageSize, jobsRef.current.length));
        const { page, pageInfo } = await read(first, null);
        if (mine !== generation.current) return;
        setJobs((current) => (mode === "reset" ? page : replaceWithFresh(current, page)));
        setCursor(pageInfo);
        setError(null);
      } catch (err) {
        if (mine === generation.current) setError(err instanceof Error ? err.message : String(err));
      } finally {
        if (mine === generation.current && mode === "reset") setLoading(false);
      }
    },
    [read],
  );

  useEffect(() => {
    filterRef.current = filter;
    void reload("reset");
  }, [filter, reload]);

  const loadMore = useCallback(async () => {
    const mine = generation.current;
    setLoading(true);
    try {
      const { page, pageInfo } = await read(pageSize, cursor.endCursor);
      if (mine !== generation.current) return;
      setJobs((current) => appendPage(current, page));
      setCursor(pageInfo);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [read, cursor.endCursor]);

  const upsert = useCallback((job: Job) => {
    setJobs((current) => upsertJob(current, job, matchesFilter(job, statusesOf(filterRef.current))));
  }, []);

  useEffect(() => {
    const stop = live.subscribe(MyJobUpdatedSubscription, {}, {
      next: ({ myJobUpdated: job }) => {
        const before = jobsRef.current.find((j) => j.id === job.id);
        if (!before || before.status !== job.status) {
          setAnnouncement(`${job.type} ${shortId(job.id)}: ${statusLabel(job.status)}`);
          // A new job was charged, a finished one may have been refunded.
          refreshMe();
        }
        upsert(job);
      },
      error: (err) => (err.unauthenticated ? reject(`The gateway refused the token: ${err.message}`) : setError(`live updates stopped: ${err.message}`)),
    });
    const unlisten = live.onState((_state, reconnected) => {
      if (reconnected) void reload("refresh");
    });
    return () => {
      unlisten();
      stop();
    };
  }, [live, upsert, reload, refreshMe, reject]);

  const needsRefresh = jobs.some((job) => job.status === "QUEUED" || (isAdmin && isUnfinished(job.status)));
  useEffect(() => {
    if (!needsRefresh) return;
    const timer = setInterval(() => void reload("refresh"), refreshEveryMs);
    return () => clearInterval(timer);
  }, [needsRefresh, reload]);

  return {
    jobs,
    filter,
    setFilter,
    hasMore: cursor.hasNextPage,
    loading,
    error,
    loadMore: () => void loadMore(),
    upsert,
    announcement,
  };
}
