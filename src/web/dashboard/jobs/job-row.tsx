import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { useUserLookup } from "../admin/user-lookup.js";
import { CancelJobMutation, RetryJobMutation } from "../api/operations.js";
import { credits, formatJson, messageOf, relativeTime, shortId } from "../format.js";
import { useSession } from "../session.js";
import { Alert } from "../ui/message.js";
import { ProgressBar } from "../ui/progress-bar.js";
import { StatusBadge, statusLabel } from "../ui/status-badge.js";
import { EventLog } from "./event-log.js";
import { JobArtifacts } from "./job-artifacts.js";
import { isRetryable, isUnfinished } from "./job-list-state.js";
import { JobOutput } from "./job-output.js";
import { jobTimingText, refundText } from "./job-timing.js";
import type { Job } from "./use-job-list.js";

interface JobRowProps {
  job: Job;
  now: number;
  expanded: boolean;
  onToggleEvents(): void;
  onChanged(job: Job): void;
  /** Cancel or retry went through: the button pressed is gone, so focus moves (JobList decides where). */
  onActionDone(job: Job): void;
}

type Action = "cancel" | "retry";

/** Types whose text streams while they run (Job.output, jobOutput), and what that text is. */
const streamedOutput: Record<string, string> = { "story.generate": "Story" };

/**
 * One job: status, progress, timing, outcome, and its cancel, retry and
 * events buttons; a succeeded job's files (players and downloads), opened
 * by itself when the job succeeds while its row is shown; and the text of
 * a type that streams it, open while the job runs.
 */
export function JobRow({ job, now, expanded, onToggleEvents, onChanged, onActionDone }: JobRowProps) {
  const session = useSession();
  const findUser = useUserLookup();
  const [busy, setBusy] = useState<Action | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const name = `${job.type} ${shortId(job.id)}`;
  const refund = refundText(job);
  const eventsId = `events-${job.id}`;
  const resultText = useMemo(() => (job.status === "SUCCEEDED" ? formatJson(job.result) : ""), [job.status, job.result]);
  const filesId = `files-${job.id}`;
  const outputId = `output-${job.id}`;
  const outputTitle = streamedOutput[job.type];
  const [filesOpen, setFilesOpen] = useState(false);
  const [outputOpen, setOutputOpen] = useState(() => outputTitle !== undefined && isUnfinished(job.status));
  // A job seen unfinished here that then succeeds shows its files at once: its owner is waiting for them.
  const seenUnfinished = useRef(isUnfinished(job.status));
  useEffect(() => {
    if (isUnfinished(job.status)) seenUnfinished.current = true;
    else if (job.status === "SUCCEEDED" && seenUnfinished.current) {
      seenUnfinished.current = false;
      setFilesOpen(true);
    }
  }, [job.status]);

  async function run(action: Action) {
    // aria-disabled, not disabled, while busy: a disabled button would drop the keyboard focus.
    if (busy) return;
    setBusy(action);
    setActionError(null);
    try {
      const answer =
        action === "cancel"
          ? (await session.request(CancelJobMutation, { id: job.id })).cancelJob
          : (await session.request(RetryJobMutation, { id: job.id })).retryJob;
      if (answer.__typename === "CancelJobSuccess" || answer.__typename === "SubmitJobSuccess") {
        session.setBalance(answer.balance);
        onChanged(answer.job);
        onActionDone(answer.job);
      } else setActionError(answer.message);
    } catch (err) {
      setActionError(messageOf(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <li class="job" data-job-id={job.id} data-status={job.status} tabIndex={-1} aria-label={`${name}, ${statusLabel(job.status)}`}>
      <div class="job-head">
        <div class="job-title">
          <strong class="job-type">{job.type}</strong>
          <span class="mono muted small" title={job.id}>
            {shortId(job.id)}
          </span>
        </div>
        <StatusBadge status={job.status} />
      </div>
      <ProgressBar progress={job.progress} status={job.status} label={`Progress of ${name}`} message={job.progressMessage} />
      <p class="job-timing small">{jobTimingText(job, now)}</p>
      <dl class="job-facts small">
        <div>
          <dt>Cost</dt>
          <dd>{credits(job.cost)}</dd>
        </div>
        {refund ? (
          <div>
            <dt>Refund</dt>
            <dd class="refund">{refund}</dd>
          </div>
        ) : null}
        {session.isAdmin ? (
          <div>
            <dt>Owner</dt>
            <dd>
              {/* Admins get the lookup (SignedIn provides it whenever session.isAdmin). */}
              <button type="button" class="link-button" title="Show in Users" onClick={() => findUser?.(job.owner.subject)}>
                <span class="visually-hidden">Show user </span>
                {job.owner.subject}
              </button>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Priority</dt>
          <dd>{job.priority}</dd>
        </div>
        <div>
          <dt>Submitted</dt>
          <dd>
            <time dateTime={job.createdAt} title={new Date(job.createdAt).toLocaleString()}>
              {relativeTime(job.createdAt, now)}
            </time>
          </dd>
        </div>
      </dl>
      {job.error && job.status !== "SUCCEEDED" ? (
        <p class="msg error small">
          <span class="visually-hidden">Error: </span>
          {job.error.message}
          {job.error.code ? <span class="mono"> ({job.error.code})</span> : null}
          <span class="muted"> · attempt {job.error.attempt}</span>
        </p>
      ) : null}
      {job.status === "SUCCEEDED" ? (
        <details class="result">
          <summary>Result</summary>
          <pre>{resultText}</pre>
        </details>
      ) : null}
      <div class="job-actions">
        <button type="button" class="secondary" aria-expanded={expanded} aria-controls={eventsId} onClick={onToggleEvents}>
          {expanded ? "Hide events" : "Events"}
          <span class="visually-hidden"> of {name}</span>
        </button>
        {job.status === "SUCCEEDED" ? (
          <button type="button" class="secondary" aria-expanded={filesOpen} aria-controls={filesId} onClick={() => setFilesOpen(!filesOpen)}>
            {filesOpen ? "Hide files" : "Files"}
            <span class="visually-hidden"> of {name}</span>
          </button>
        ) : null}
        {outputTitle ? (
          <button type="button" class="secondary" aria-expanded={outputOpen} aria-controls={outputId} onClick={() => setOutputOpen(!outputOpen)}>
            {outputOpen ? `Hide ${outputTitle.toLowerCase()}` : outputTitle}
            <span class="visually-hidden"> of {name}</span>
          </button>
        ) : null}
        {isUnfinished(job.status) ? (
          <button type="button" class="danger" aria-disabled={busy !== null} onClick={() => void run("cancel")}>
            {busy === "cancel" ? "Cancelling…" : "Cancel"}
            <span class="visually-hidden"> {name}</span>
          </button>
        ) : null}
        {isRetryable(job.status) ? (
          <button type="button" class="secondary" aria-disabled={busy !== null} onClick={() => void run("retry")}>
            {busy === "retry" ? "Retrying…" : "Retry"}
            <span class="visually-hidden"> {name}</span>
          </button>
        ) : null}
      </div>
      <Alert text={actionError} small />
      {outputTitle ? (
        <div id={outputId}>
          {outputOpen ? <JobOutput key={job.id} jobId={job.id} jobType={job.type} jobStatus={job.status} jobSeq={job.seq} title={outputTitle} /> : null}
        </div>
      ) : null}
      <div id={filesId}>{filesOpen && job.status === "SUCCEEDED" ? <JobArtifacts key={job.id} jobId={job.id} jobType={job.type} /> : null}</div>
      <div id={eventsId}>{expanded ? <EventLog key={job.id} jobId={job.id} jobType={job.type} jobSeq={job.seq} /> : null}</div>
    </li>
  );
}
