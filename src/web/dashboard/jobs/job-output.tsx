import { useEffect, useRef, useState } from "preact/hooks";
import { JobOutputSubscription } from "../api/operations.js";
import { subscribeRetrying } from "../api/retrying-subscription.js";
import { shortId } from "../format.js";
import { useSession } from "../session.js";
import { Alert } from "../ui/message.js";
import { useFollowEnd } from "../ui/use-follow-end.js";
import { readOutput, storeOutput } from "./job-output-cache.js";
import { appendChunk, resumePointOf, type HeldOutput } from "./job-output-state.js";
import { isUnfinished } from "./job-list-state.js";

type FollowState = "following" | "ended" | "retrying" | "refused";

const stateLabels: Record<FollowState, string> = { following: "written live", ended: "complete", retrying: "interrupted, retrying", refused: "stopped" };

interface JobOutputProps {
  jobId: string;
  jobType: string;
  /** The job's status and seq as the list has them: an ended stream of a job that runs again (a retry) is followed again. */
  jobStatus: string;
  jobSeq: number;
  /** What the text is, for its heading ("Story"). */
  title: string;
}

/**
 * The text a job streams (a story as it is written), growing live. Starts
 * from the text kept for this job (a reload keeps it) and asks `jobOutput`
 * for the rest from the attempt and offset held; a reconnect (graphql-ws
 * resends the subscription with the variables object updated here), a
 * failed stream subscribed again, and a retried job all resume the same
 * way. A newer attempt's text replaces the older one's.
 */
export function JobOutput({ jobId, jobType, jobStatus, jobSeq, title }: JobOutputProps) {
  const { live } = useSession();
  const [output, setOutput] = useState<HeldOutput>(() => readOutput(jobId));
  const [state, setState] = useState<FollowState>("following");
  const [error, setError] = useState<string | null>(null);
  // Each round is one subscription: a new one after a gap, or when an ended stream's job runs again.
  const [round, setRound] = useState(0);
  const seq = useRef(jobSeq);
  seq.current = jobSeq;
  // The job seq the stream last ended at: at most one new round per change of the job after that.
  const endedAt = useRef(0);

  useEffect(() => {
    // The text as this render holds it, then kept in step with the state.
    let held = output;
    let gapped = false;
    setState("following");
    const variables = { id: jobId, ...resumePointOf(held) };
    return subscribeRetrying(
      live,
      JobOutputSubscription,
      variables,
      {
        next: ({ jobOutput: chunk }) => {
          if (gapped) return;
          const next = appendChunk(held, chunk);
          if (next === "gap") {
            // Text is missing before this chunk: ask again from the offset held.
            gapped = true;
            setRound((r) => r + 1);
            return;
          }
          if (next === held) return;
          held = next;
          Object.assign(variables, resumePointOf(held));
          storeOutput(jobId, held);
          setOutput(held);
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
        complete: () => {
          endedAt.current = seq.current;
          setState("ended");
        },
      },
      { endsByItself: true },
    );
  }, [jobId, live, round]);

  useEffect(() => {
    if (state !== "ended" || !isUnfinished(jobStatus) || jobSeq <= endedAt.current) return;
    endedAt.current = jobSeq;
    setRound((r) => r + 1);
  }, [state, jobStatus, jobSeq]);

  const box = useFollowEnd<HTMLDivElement>(output);

  const titleId = `output-title-${jobId}`;
  const waiting = isUnfinished(jobStatus) ? "Nothing written yet: the text shows here as it is written." : "This job wrote no text.";
  return (
    <section class="job-output" aria-labelledby={titleId} data-attempt={output.attempt} data-state={state}>
      <h3 id={titleId}>
        {title} of {jobType} {shortId(jobId)}
        <span class="muted small">
          {" "}
          · {stateLabels[state]}
          {output.attempt > 1 ? `, attempt ${output.attempt}` : ""}
        </span>
      </h3>
      <Alert text={error} />
      {output.text === "" ? (
        <p class="muted small">{waiting}</p>
      ) : (
        // Announcing every few words would drown a screen reader: the region is there to be read, not heard.
        <div class="output-text" role="log" aria-live="off" aria-label={`${title} of job ${shortId(jobId)}`} tabIndex={0} ref={box.ref} onScroll={box.onScroll}>
          {output.text}
        </div>
      )}
    </section>
  );
}
