import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import { artifacts } from "../schema.js";

/** A succeeded attempt's stored artifacts become the job's, kept `retentionDays` from now. */
export async function keepArtifacts(db: DbOrTx, ids: readonly string[], retentionDays: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(artifacts)
    .set({ status: "ready", expiresAt: sql`now() + make_interval(secs => ${retentionDays * 86_400})` })
    .where(and(inArray(artifacts.id, [...ids]), eq(artifacts.status, "pending")));
}

/** The pending artifacts of an attempt, but those in `keep`: what an attempt that ended leaves to remove. */
export async function pendingArtifactsOf(db: DbOrTx, jobId: string, attempt: number, keep: readonly string[] = []): Promise<{ id: string; storeKey: string }[]> {
  return db
    .select({ id: artifacts.id, storeKey: artifacts.storeKey })
    .from(artifacts)
    .where(
      and(
        eq(artifacts.jobId, jobId),
        eq(artifacts.attempt, attempt),
        eq(artifacts.status, "pending"),
        ...(keep.length > 0 ? [notInArray(artifacts.id, [...keep])] : []),
      ),
    );
}

/** Deletes rows whose files are gone; only pending ones, so a row another attempt made ready stays. */
export async function deletePendingArtifacts(db: DbOrTx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.delete(artifacts).where(and(inArray(artifacts.id, [...ids]), eq(artifacts.status, "pending")));
}
