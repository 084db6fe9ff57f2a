import { useState } from "preact/hooks";
import { useSession } from "../session.js";
import { useNow } from "../ui/use-now.js";
import { readExpanded, storeExpanded } from "./event-log-cache.js";
import { isUnfinished } from "./job-list-state.js";
import { JobRow } from "./job-row.js";
import type { JobList as JobListState } from "./use-job-list.js";

const statusOptions = ["", "QUEUED", "RUNNING", "RETRYING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;

/** The job list with its status filter, "Load more", and a live region for status changes. */
export function JobList({ list }: { list: JobListState }) {
  const { isAdmin } = useSession();
  const [expanded, setExpanded] = useState<string[]>(readExpanded);
  // Every second while a job runs or waits (elapsed time, ETA); otherwise only "submitted … ago" moves.
  const now = useNow(list.jobs.some((job) => isUnfinished(job.status)) ? 1_000 : 30_000);

  const toggle = (id: string) => {
    const next = expanded.includes(id) ? expanded.filter((e) => e !== id) : [...expanded, id];
    setExpanded(next);
    storeExpanded(next);
  };

  return (
    <section class="card" aria-labelledby="jobs-title">
      <div class="card-head">
        <h2 id="jobs-title">{isAdmin ? "All jobs" : "Your jobs"}</h2>
        <label class="inline">
          Status
          <select value={list.filter} onChange={(e) => list.setFilter(e.currentTarget.value)}>
            {statusOptions.map((status) => (
              <option key={status} value={status}>
                {status === "" ? "All" : status.charAt(0) + status.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="visually-hidden" aria-live="polite" role="status">
        {list.announcement}
      </p>
      {list.error ? (
        <p class="msg error" role="alert">
          {list.error}
        </p>
      ) : null}
      {list.jobs.length === 0 && !list.loading ? <p class="muted">No jobs{list.filter ? ` with status ${list.filter.toLowerCase()}` : ""} yet.</p> : null}
      <ul class="jobs" aria-busy={list.loading}>
        {list.jobs.map((job) => (
          <JobRow key={job.id} job={job} now={now} expanded={expanded.includes(job.id)} onToggleEvents={() => toggle(job.id)} onChanged={list.upsert} />
        ))}
      </ul>
      {list.hasMore ? (
        <button type="button" class="secondary load-more" disabled={list.loading} onClick={list.loadMore}>
          {list.loading ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}
