import type { Logger } from "pino";
import { createOutputCoalescer } from "../domain/output-coalescer.js";
import type { JobRow } from "../db/schema.js";
import type { JobOutput } from "../jobs/handler.js";
import type { AttemptPart } from "./attempt-resources.js";
import type { AttemptOutcome } from "./run-attempt.js";
import type { OutputChunkRow } from "../db/queries/append-job-output.js";

export interface AttemptOutputDeps {
  /** Writes one chunk, fenced by its attempt (output-writer.ts); false when the attempt no longer holds the job. */
  write: (chunk: OutputChunkRow) => Promise<boolean>;
  /** Least time between two writes of one attempt's output (PROGRESS_MIN_INTERVAL_MS, as for progress). */
  minIntervalMs: number;
  /** Waits between the tries of the last flush of a succeeded attempt. Default 100 ms, 500 ms, 2 s. */
  settleRetryDelaysMs?: readonly number[];
}

const defaultSettleRetryDelaysMs = [100, 500, 2_000];

/**
 * Each attempt's `ctx.output`: text appended by the handler, coalesced into
 * a few chunks a second, each one row at the next offset of the attempt's
 * output (job_output_chunks), written only while the attempt holds the job.
 * An abort (cancel, timeout, shutdown) drops what waits: the attempt may no
 * longer hold the job. A succeeded attempt writes everything before its
 * outcome is recorded, so a reader that sees the job SUCCEEDED reads its
 * whole output; a failed one tries once, so its text shows all it wrote
 * before it failed.
 */
export function makeAttemptOutput(deps: AttemptOutputDeps) {
  return (job: JobRow, signal: AbortSignal, log: Logger): AttemptPart<JobOutput> => {
    const coalescer = createOutputCoalescer({
      minIntervalMs: deps.minIntervalMs,
      write: (offset, text) => deps.write({ jobId: job.id, attempt: job.attempts, offset, text }),
      onError: (error) => log.warn({ err: (error as Error).message }, "output write failed; it is written again with what follows"),
    });
    const onAbort = () => coalescer.discard();
    signal.addEventListener("abort", onAbort, { once: true });
    return {
      value: {
        async write(text) {
          if (typeof text !== "string") throw new TypeError(`ctx.output.write takes a string (got ${typeof text})`);
          if (!signal.aborted) coalescer.append(text);
        },
      },
      async settle(outcome: AttemptOutcome["kind"]) {
        signal.removeEventListener("abort", onAbort);
        if (outcome === "failed" && !signal.aborted) {
          // Best effort: the failure is recorded after this, and a retry starts its own output anyway.
          await coalescer.flush().catch((error: Error) => log.warn({ err: error.message }, "a failed attempt's last output not written"));
        }
        if (outcome !== "succeeded") return coalescer.discard();
        const delays = deps.settleRetryDelaysMs ?? defaultSettleRetryDelaysMs;
        for (let tries = 0; ; tries++) {
          try {
            return await coalescer.flush();
          } catch (error) {
            if (tries >= delays.length) {
              coalescer.discard();
              throw error;
            }
            await new Promise((resolve) => setTimeout(resolve, delays[tries]));
          }
        }
      },
    };
  };
}
