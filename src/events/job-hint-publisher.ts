import type { Logger } from "pino";
import { createBatchFlusher } from "../batching/batch-flusher.js";
import type { Sql } from "../db/client.js";
import { formatHint, formatOutputHint, jobHintsChannel, jobOutputHintsChannel, maxNotifyPayloadBytes } from "./job-hint-format.js";
import type { JobHintSource, JobHints, JobOutputHint, JobOutputHints } from "./job-hints.js";
import { packHints } from "./pack-hints.js";

/**
 * Sends the hints of committed changes to every process, many per NOTIFY and
 * outside the writers' transactions: a NOTIFY inside a transaction takes a
 * global lock at commit, which serializes every committing writer. A lost
 * hint costs latency only: streams re-read by seq, and every listener is
 * woken by a slow poll (job-event-listener.ts).
 */
export function createJobHintPublisher(sql: Sql, log: Logger): JobHints & JobOutputHints & { flushed(): Promise<void> } {
  const sender = (channel: string) =>
    createBatchFlusher<string>(async (lines) => {
      for (const payload of packHints(lines, maxNotifyPayloadBytes)) {
        await sql`select pg_notify(${channel}, ${payload})`.catch((err: Error) =>
          log.warn({ err: err.message, channel, hints: lines.length }, "job hints not sent; streams catch up on their next poll"),
        );
      }
    });
  const jobBatches = sender(jobHintsChannel);
  const outputBatches = sender(jobOutputHintsChannel);
  return {
    announce: (job: JobHintSource) => jobBatches.add(formatHint(job)),
    announceOutput: (hint: JobOutputHint) => outputBatches.add(formatOutputHint(hint)),
    flushed: async () => {
      await Promise.all([jobBatches.flushed(), outputBatches.flushed()]);
    },
  };
}
