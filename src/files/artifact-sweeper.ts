import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import { expireDueArtifacts, removeOrphanedArtifacts, type RemoveFiles } from "../db/queries/sweep-artifacts.js";
import type { ArtifactStore } from "./artifact-store.js";

// A pending artifact this old whose attempt is over was left by a worker that died (not one settling now).
const orphanGraceMs = 15 * 60_000;
// A put whose temporary file has not grown for this long belongs to a process that is gone.
const incompleteAfterMs = 24 * 60 * 60_000;
const batch = 100;

/**
 * Retention: every `intervalMs`, removes the files of artifacts past their
 * expiry and marks them expired (their records stay: the job still lists
 * them, with `expiresAt` past), then the pending files of attempts whose
 * worker died mid-attempt, then what unfinished puts left in the store.
 * Every role runs one; the rows are taken SKIP LOCKED, so several sweep
 * side by side without doing the same work twice.
 */
export function startArtifactSweeper(deps: { db: Db; store: ArtifactStore; log: Logger; intervalMs: number }) {
  const removeFiles: RemoveFiles = async (keys) => {
    const results = await Promise.allSettled(keys.map((key) => deps.store.delete(key)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) deps.log.warn({ failed: failed.length, err: (failed[0]!.reason as Error).message }, "artifact files not removed; retried next sweep");
    return new Set(keys.filter((_key, i) => results[i]!.status === "fulfilled"));
  };

  async function sweep(): Promise<void> {
    let expired = 0;
    for (let n = batch; n === batch && !stopped; expired += n) n = await expireDueArtifacts(deps.db, removeFiles, batch);
    let orphaned = 0;
    for (let n = batch; n === batch && !stopped; orphaned += n) n = await removeOrphanedArtifacts(deps.db, removeFiles, orphanGraceMs, batch);
    const incomplete = (await deps.store.removeIncomplete?.(new Date(Date.now() - incompleteAfterMs))) ?? 0;
    if (expired + orphaned + incomplete > 0) deps.log.info({ expired, orphaned, incomplete }, "artifacts swept");
  }

  let stopped = false;
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    // One sweep at a time: a tick that finds one still going (a slow store) is skipped.
    if (running || stopped) return;
    running = sweep()
      .catch((err: Error) => deps.log.warn({ err: err.message }, "artifact sweep failed"))
      .finally(() => (running = null));
  }, deps.intervalMs);
  timer.unref();

  return {
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
