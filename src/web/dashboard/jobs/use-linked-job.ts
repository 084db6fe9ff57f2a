import { useCallback, useEffect, useState } from "preact/hooks";
import { JobQuery, JobUpdatedSubscription } from "../api/operations.js";
import { subscribeRetrying } from "../api/retrying-subscription.js";
import { messageOf } from "../format.js";
import { useSession } from "../session.js";
import { isUnfinished, newerOf } from "./job-list-state.js";
import type { Job } from "./use-job-list.js";

/** What the page knows of the job a link asked for. */
export type LinkedJobState =
  | { kind: "reading" }
  | { kind: "found"; job: Job }
  /** No such job, or not the caller's: `job(id:)` answered null. */
  | { kind: "missing" }
  | { kind: "failed"; message: string };

export interface LinkedJob {
  state: LinkedJobState;
  /** A job's state from a mutation's answer (cancel, retry on the pinned row). */
  upsert(job: Job): void;
}

/**
 * The job a link pins (`?job=<id>`), which the loaded page of the list may
 * not hold (older, another filter, another user's for an admin): read with
 * `job(id:)`, then kept current with `jobUpdated` while it is unfinished
 * (a retried job is followed again). `listed`, the list's copy when it has
 * one, counts too: the newer copy (higher seq) wins.
 */
export function useLinkedJob(jobId: string, listed: Job | undefined): LinkedJob {
  const { request, live } = useSession();
  const [state, setState] = useState<LinkedJobState>({ kind: "reading" });

  const upsert = useCallback((job: Job) => {
    if (job.id !== jobId) return;
    setState((current) => ({ kind: "found", job: newerOf(current.kind === "found" ? current.job : undefined, job) }));
  }, [jobId]);

  useEffect(() => {
    let stale = false;
    setState({ kind: "reading" });
    request(JobQuery, { id: jobId }).then(
      ({ job }) => {
        if (stale) return;
        if (job) upsert(job);
        else setState((current) => (current.kind === "found" ? current : { kind: "missing" }));
      },
      (err: unknown) => {
        if (!stale) setState({ kind: "failed", message: `Could not read the job: ${messageOf(err)}` });
      },
    );
    return () => {
      stale = true;
    };
  }, [jobId, request, upsert]);

  const job = state.kind === "found" ? newerOf(listed, state.job) : listed;
  const following = job !== undefined && isUnfinished(job.status);
  useEffect(() => {
    if (!following) return;
    // Current state at once, then each change, until a terminal status; graphql-ws resends it after a reconnect.
    return subscribeRetrying(
      live,
      JobUpdatedSubscription,
      { id: jobId },
      {
        next: ({ jobUpdated }) => upsert(jobUpdated),
        // The job list's stream reports a refused token and signs out; the event log shows an interrupted stream.
        unauthenticated: () => {},
        interrupted: () => {},
      },
      { endsByItself: true },
    );
  }, [jobId, live, following, upsert]);

  return { state: job ? { kind: "found", job } : state, upsert };
}
