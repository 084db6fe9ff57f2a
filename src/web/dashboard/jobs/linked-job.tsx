import { useEffect, useRef } from "preact/hooks";
import { shortId } from "../format.js";
import { Alert } from "../ui/message.js";
import { useNow } from "../ui/use-now.js";
import { isUnfinished } from "./job-list-state.js";
import { JobRow } from "./job-row.js";
import { useLinkedJob } from "./use-linked-job.js";
import type { Job } from "./use-job-list.js";

interface LinkedJobProps {
  jobId: string;
  /** The list's copy of the job, when the loaded rows hold it. */
  listed: Job | undefined;
  expanded: boolean;
  onToggleEvents(): void;
  /** A mutation's answer for the job, for the list as well. */
  onChanged(job: Job): void;
  onActionDone(job: Job): void;
  /** "Show all jobs": the link's job is no longer pinned. */
  onShowAll(): void;
}

/**
 * The job a link asked for (`?job=<id>`), pinned above the list with its
 * event log open, or a clear "not found". The keyboard focus starts on its
 * heading.
 */
export function LinkedJob({ jobId, listed, expanded, onToggleEvents, onChanged, onActionDone, onShowAll }: LinkedJobProps) {
  const { state, upsert } = useLinkedJob(jobId, listed);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const now = useNow(state.kind === "found" && isUnfinished(state.job.status) ? 1_000 : 30_000);

  return (
    <section class="linked-job" aria-labelledby="linked-job-title" aria-busy={state.kind === "reading"}>
      <div class="card-head">
        <h3 id="linked-job-title" ref={heading} tabIndex={-1}>
          {state.kind === "found" ? `Linked job: ${state.job.type} ${shortId(jobId)}` : "Linked job"}
        </h3>
        <button type="button" class="secondary small-button" onClick={onShowAll}>
          Show all jobs
        </button>
      </div>
      {state.kind === "reading" ? <p class="muted small">Reading job {shortId(jobId)}…</p> : null}
      {state.kind === "missing" ? (
        <p class="msg error" role="alert">
          Job not found: no job <code>{jobId}</code> is yours to see. The link may be mistyped, or the job belongs to someone else.
        </p>
      ) : null}
      <Alert text={state.kind === "failed" ? state.message : null} />
      {state.kind === "found" ? (
        <ul class="jobs">
          <JobRow
            job={state.job}
            now={now}
            expanded={expanded}
            onToggleEvents={onToggleEvents}
            onChanged={(job) => {
              upsert(job);
              onChanged(job);
            }}
            onActionDone={onActionDone}
          />
        </ul>
      ) : null}
    </section>
  );
}
