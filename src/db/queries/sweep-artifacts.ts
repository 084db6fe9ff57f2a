import { and, asc, eq, inArray, isNull, lt, lte, ne, not, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { artifacts, jobs } from "../schema.js";

/** Removes the files of these keys; resolves with the keys that are gone (a key that held nothing is gone too). */
export type RemoveFiles = (storeKeys: string[]) => Promise<Set<string>>;

/**
 * Ready artifacts past their `expires_at`, up to `limit`, oldest first:
 * their files are removed, then their rows marked expired (the record
 * stays). The rows are locked meanwhile, SKIP LOCKED, so several processes
 * sweep without taking the same rows; a file that would not go leaves its
 * row ready for the next sweep. Resolves with how many were expired.
 */
export async function expireDueArtifacts(db: Db, removeFiles: RemoveFiles, limit = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: artifacts.id, storeKey: artifacts.storeKey })
      .from(artifacts)
      // `status <> 'expired'` is the artifacts_expiry index's own predicate, so the planner reads it.
      .where(and(ne(artifacts.status, "expired"), eq(artifacts.status, "ready"), lte(artifacts.expiresAt, sql`now()`)))
      .orderBy(asc(artifacts.expiresAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return 0;
    const gone = await removeFiles(due.map((row) => row.storeKey));
    const expired = due.filter((row) => gone.has(row.storeKey)).map((row) => row.id);
    if (expired.length > 0) await tx.update(artifacts).set({ status: "expired" }).where(inArray(artifacts.id, expired));
    return expired.length;
  });
}

/**
 * Pending artifacts that no running attempt will settle: their attempt is
 * over (the job moved on to another attempt or left RUNNING) and the row is
 * older than `graceMs`, which keeps clear of an attempt settling right now.
 * A worker that died mid-attempt leaves these. Their files and rows go.
 */
export async function removeOrphanedArtifacts(db: Db, removeFiles: RemoveFiles, graceMs: number, limit = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const orphans = await tx
      .select({ id: artifacts.id, storeKey: artifacts.storeKey })
      .from(artifacts)
      .innerJoin(jobs, eq(jobs.id, artifacts.jobId))
      .where(
        and(
          ne(artifacts.status, "expired"),
          eq(artifacts.status, "pending"),
          isNull(artifacts.expiresAt),
          lt(artifacts.createdAt, sql`now() - make_interval(secs => ${graceMs / 1000})`),
          not(and(eq(jobs.status, "RUNNING"), eq(jobs.attempts, artifacts.attempt))!),
        ),
      )
      .limit(limit)
      .for("update", { of: artifacts, skipLocked: true });
    if (orphans.length === 0) return 0;
    const gone = await removeFiles(orphans.map((row) => row.storeKey));
    const removed = orphans.filter((row) => gone.has(row.storeKey)).map((row) => row.id);
    if (removed.length > 0) await tx.delete(artifacts).where(and(inArray(artifacts.id, removed), eq(artifacts.status, "pending")));
    return removed.length;
  });
}
