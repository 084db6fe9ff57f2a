import { useEffect, useState } from "preact/hooks";
import { JobEventsSubscription } from "../api/operations.js";
import { percent, shortId } from "../format.js";
import { useSession } from "../session.js";
import { statusLabel } from "../ui/status-badge.js";
import { readEventLog, storeEventLog } from "./event-log-cache.js";
import { appendEvents, lastSeqOf, type LoggedEvent } from "./event-log-state.js";

type FollowState = "following" | "ended" | "error";

/**
 * A job's events, live. Starts from the events kept for this job (a reload
 * keeps them) and asks for those after the last seq held; a reconnect
 * resumes the same way, since graphql-ws resends the subscription with the
 * variables object updated here. Each seq is shown once.
 */
export function EventLog({ jobId, jobType }: { jobId: string; jobType: string }) {
  const { live } = useSession();
  const [events, setEvents] = useState<LoggedEvent[]>(() => readEventLog(jobId));
  const [state, setState] = useState<FollowState>("following");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let log = readEventLog(jobId);
    setEvents(log);
    const variables = { id: jobId, after: lastSeqOf(log) };
    const stop = live.subscribe(JobEventsSubscription, variables, {
      next: ({ jobEvents }) => {
        const next = appendEvents(log, [jobEvents]);
        if (next === log) return;
        log = next;
        variables.after = lastSeqOf(log);
        storeEventLog(jobId, log);
        setEvents(log);
      },
      error: (err) => {
        setState("error");
        setError(err.message);
      },
      complete: () => setState((current) => (current === "error" ? current : "ended")),
    });
    return stop;
  }, [jobId, live]);

  const titleId = `events-title-${jobId}`;
  return (
    <section class="event-log" aria-labelledby={titleId}>
      <h4 id={titleId}>
        Events of {jobType} {shortId(jobId)}
        <span class="muted small"> · {state === "following" ? "following live" : state === "ended" ? "complete" : "stopped"}</span>
      </h4>
      {error ? (
        <p class="msg error" role="alert">
          {error}
        </p>
      ) : null}
      {events.length === 0 ? (
        <p class="muted small">No events yet.</p>
      ) : (
        <div role="log" aria-live="off" aria-label={`Events of job ${shortId(jobId)}`}>
          <ol class="events">
            {events.map((event) => (
              <li key={event.seq} data-seq={event.seq}>
                <span class="seq">#{event.seq}</span>
                <time dateTime={event.at}>{new Date(event.at).toLocaleTimeString()}</time>
                <span class="ev-status" data-status={event.status}>
                  {statusLabel(event.status)}
                </span>
                <span class="ev-progress">{percent(event.progress)} %</span>
                <span class="ev-message">{event.message ?? ""}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
