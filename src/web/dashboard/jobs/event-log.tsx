import { useEffect, useRef, useState } from "preact/hooks";
import { JobEventsSubscription } from "../api/operations.js";
import { subscribeRetrying } from "../api/retrying-subscription.js";
import { percent, shortId } from "../format.js";
import { useSession } from "../session.js";
import { Alert } from "../ui/message.js";
import { useFollowEnd } from "../ui/use-follow-end.js";
import { statusLabel } from "../ui/status-badge.js";
import { readEventLog, storeEventLog } from "./event-log-cache.js";
import { appendEvents, lastSeqOf, type LoggedEvent } from "./event-log-state.js";

type FollowState = "following" | "ended" | "retrying" | "refused";

const stateLabels: Record<FollowState, string> = { following: "following live", ended: "complete", retrying: "interrupted, retrying", refused: "stopped" };

interface EventLogProps {
  jobId: string;
  jobType: string;
  /** The job's seq as the list has it: past the log's last seq after the log ended, the job runs again (a retry). */
  jobSeq: number;
}

/**
 * A job's events, live. Starts from the events kept for this job (a reload
 * keeps them) and asks for those after the last seq held; a reconnect, a
 * failed stream subscribed again, and a retried job whose log had ended
 * all resume the same way (graphql-ws resends the subscription with the
 * variables object updated here). Each seq is shown once.
 */
export function EventLog({ jobId, jobType, jobSeq }: EventLogProps) {
  const { live } = useSession();
  const [events, setEvents] = useState<LoggedEvent[]>(() => readEventLog(jobId));
  const [state, setState] = useState<FollowState>("following");
  const [error, setError] = useState<string | null>(null);
  // Each round is one subscription; a new one starts when an ended log's job changes again.
  const [round, setRound] = useState(0);
  const lastSeq = lastSeqOf(events);
  // The job seq a new round was started for: at most one round per change of the job.
  const followedTo = useRef(0);

  useEffect(() => {
    // The log as this render holds it: read from storage on mount, then kept in step with it.
    let log = events;
    setState("following");
    const variables = { id: jobId, after: lastSeqOf(log) };
    return subscribeRetrying(
      live,
      JobEventsSubscription,
      variables,
      {
        next: ({ jobEvents }) => {
          const next = appendEvents(log, [jobEvents]);
          if (next === log) return;
          log = next;
          variables.after = lastSeqOf(log);
          storeEventLog(jobId, log);
          setEvents(log);
        },
        // The job list's stream reports a refused token and signs out.
        unauthenticated: (err) => {
          setState("refused");
          setError(err.message);
        },
        interrupted: (err, delayMs) => {
          setState("retrying");
          setError(`${err.message}; trying again in ${Math.round(delayMs / 1000)} s`);
        },
        recovered: () => {
          setState("following");
          setError(null);
        },
        complete: () => setState("ended"),
      },
      { endsByItself: true },
    );
  }, [jobId, live, round]);

  useEffect(() => {
    if (state !== "ended" || jobSeq <= lastSeq || jobSeq <= followedTo.current) return;
    followedTo.current = jobSeq;
    setRound((r) => r + 1);
  }, [state, jobSeq, lastSeq]);

  const list = useFollowEnd<HTMLOListElement>(events);

  const titleId = `events-title-${jobId}`;
  return (
    <section class="event-log" aria-labelledby={titleId}>
      <h3 id={titleId}>
        Events of {jobType} {shortId(jobId)}
        <span class="muted small"> · {stateLabels[state]}</span>
      </h3>
      <Alert text={error} />
      {events.length === 0 ? (
        <p class="muted small">No events yet.</p>
      ) : (
        <div role="log" aria-live="off" aria-label={`Events of job ${shortId(jobId)}`}>
          <ol class="events" ref={list.ref} onScroll={list.onScroll}>
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
