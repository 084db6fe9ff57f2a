import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import { expireUploads } from "../db/queries/expire-uploads.js";

const batch = 100;

/**
 * Expiry of uploads: every `intervalMs`, the uploads past their `expiresAt`
 * that no job needs (never finished, or finished and unused, or used by jobs
 * that ended more than the retention ago) lose their file and are marked
 * expired; those a job still needs are kept another retention. Gateways run
 * it (they hold the upload store); rows are taken SKIP LOCKED, so several
 * sweep side by side without doing the same work twice.
 */
export function startUploadSweeper(deps: { db: Db; remove(key: string): Promise<void>; retentionMs: number; intervalMs: number; log: Logger }) {
  async function sweep(): Promise<number> {
    let expired = 0;
    // Another round only while a full one expired something: a round of failed removals would only be taken again.
    for (let more = true; more && !stopped; ) {
      const round = await expireUploads(deps.db, {
        retentionMs: deps.retentionMs,
        limit: batch,
        remove: (upload) => deps.remove(upload.storeKey),
        onRemoveError: (upload, err) => deps.log.warn({ uploadId: upload.id, err: (err as Error).message }, "upload file not removed; retried next sweep"),
      });
      more = round.taken === batch && round.expired.length > 0;
      expired += round.expired.length;
    }
    if (expired > 0) deps.log.info({ expired }, "uploads expired");
    return expired;
  }

  let stopped = false;
  let running: Promise<unknown> | null = null;
  const run = () => {
    running ??= sweep()
      .catch((err: Error) => deps.log.warn({ err: err.message }, "upload sweep failed"))
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    // One sweep at a time: a tick that finds one still going (a slow store) is skipped.
    if (!running && !stopped) void run();
  }, deps.intervalMs);
  timer.unref();

  return {
    /** Sweeps now (or waits for the sweep under way). */
    sweepNow: () => run(),
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
