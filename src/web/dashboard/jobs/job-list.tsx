import { useEffect, useRef, useState } from "preact/hooks";
import { useSession } from "../session.js";
import { Alert } from "../ui/message.js";
import { jobStatuses, statusLabel } from "../ui/status-badge.js";
import { useNow } from "../ui/use-now.js";
import { readExpanded, storeExpanded } from "./event-log-cache.js";
import { isUnfinished } from "./job-list-state.js";
import { JobRow } from "./job-row.js";
import { LinkedJob } from "./linked-job.js";
import type { JobList as JobListState } from "./use-job-list.js";

interface JobListProps {
  list: JobListState;
  focusOnMount?: boolean;
  /** The job a link asked for (`?job=<id>`), pinned above the rows. */
  linkedJobId?: string | null;
  /** "Show all jobs" under the pinned job: the link's job is let go. */
  onShowAll?(): void;
}

/** Where the keyboard focus goes after the next render: a job's row (or the heading, if the row left the list). */
type FocusRequest = { jobId: string } | "heading" | null;

/**
 * The job list with its status filter, "Load more", and a live region for
 * status changes. Focus follows the keyboard user: after cancel or retry
 * to the job's row, after "Load more" to the first row it added, after
 * signing in (`focusOnMount`) or after "Show all jobs" to the heading.
 * A job a link asked for (`linkedJobId`) is pinned above the rows, with its
 * event log open, and not listed twice.
 */
export function JobList({ list, focusOnMount = false, linkedJobId = null, onShowAll }: JobListProps) {
  const { isAdmin } = useSession();
  const [expanded, setExpanded] = useState<string[]>(() => {
    const kept = readExpanded();
    return linkedJobId && !kept.includes(linkedJobId) ? [...kept, linkedJobId] : kept;
  });
  const [focusRequest, setFocusRequest] = useState<FocusRequest>(focusOnMount ? "heading" : null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const sectionRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!focusRequest) return;
    setFocusRequest(null);
    const row = focusRequest === "heading" ? null : sectionRef.current?.querySelector<HTMLElement>(`li.job[data-job-id="${CSS.escape(focusRequest.jobId)}"]`);
    (row ?? headingRef.current)?.focus();
  }, [focusRequest]);

  const loadMore = async () => {
    if (list.loading || list.loadingMore) return;
    const first = await list.loadMore();
    if (first) setFocusRequest({ jobId: first });
  };
  const rows = linkedJobId ? list.jobs.filter((job) => job.id !== linkedJobId) : list.jobs;
  // Every second while a job runs or waits (elapsed time, ETA); otherwise only "submitted … ago" moves.
  const now = useNow(rows.some((job) => isUnfinished(job.status)) ? 1_000 : 30_000);

  const toggle = (id: string) => {
    const next = expanded.includes(id) ? expanded.filter((e) => e !== id) : [...expanded, id];
    setExpanded(next);
    storeExpanded(next);
  };

  return (
    <section class="card" aria-labelledby="jobs-title" ref={sectionRef}>
      <div class="card-head">
        <h2 id="jobs-title" ref={headingRef} tabIndex={-1}>
          {isAdmin ? "All jobs" : "Your jobs"}
        </h2>
        <label class="inline">
          Status
          <select value={list.filter} onChange={(e) => list.setFilter(e.currentTarget.value)}>
            <option value="">All</option>
            {jobStatuses.map((status) => (
              <option key={status} value={status}>
                {statusLabel(status)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="visually-hidden" aria-live="polite" role="status">
        {list.announcement}
      </p>
      <Alert text={list.error} />
      {list.liveError ? (
        <p class="msg error small" role="status">
          {list.liveError}
        </p>
      ) : null}
      {linkedJobId ? (
        <LinkedJob
          jobId={linkedJobId}
          listed={list.jobs.find((job) => job.id === linkedJobId)}
          expanded={expanded.includes(linkedJobId)}
          onToggleEvents={() => toggle(linkedJobId)}
          onChanged={list.upsert}
          onActionDone={(done) => setFocusRequest({ jobId: done.id })}
          onShowAll={() => {
            onShowAll?.();
            setFocusRequest("heading");
          }}
        />
      ) : null}
      {rows.length === 0 && !list.loading ? (
        <p class="muted">
          No {linkedJobId ? "other " : ""}jobs{list.filter ? ` with status ${list.filter.toLowerCase()}` : ""} yet.
        </p>
      ) : null}
      <ul class="jobs" aria-busy={list.loading}>
        {rows.map((job) => (
          <JobRow
            key={job.id}
            job={job}
            now={now}
            expanded={expanded.includes(job.id)}
            onToggleEvents={() => toggle(job.id)}
            onChanged={list.upsert}
            onActionDone={(done) => setFocusRequest({ jobId: done.id })}
          />
        ))}
      </ul>
      {list.hasMore ? (
        // aria-disabled, not disabled, while loading: a disabled button would drop the keyboard focus.
        <button type="button" class="secondary load-more" aria-disabled={list.loading || list.loadingMore} onClick={() => void loadMore()}>
          {list.loadingMore ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}
