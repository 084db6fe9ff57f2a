import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import { artifacts } from "../schema.js";

/**
 * The row of an artifact an attempt is about to store, written before its
 * bytes: whatever happens to the process next, the row says which key to
 * remove. A second write of the name in the same attempt takes the row over
 * (pending again, its size unknown until stored).
 */
export async function recordArtifact(
  db: DbOrTx,
  artifact: { jobId: string; attempt: number; name: string; contentType: string; storeKey: string },
): Promise<string> {
  const [row] = await db
    .insert(artifacts)
    .values({ ...artifact, size: 0 })
    .onConflictDoUpdate({
      target: [artifacts.jobId, artifacts.attempt, artifacts.name],
      set: { contentType: artifact.contentType, storeKey: artifact.storeKey, size: 0, status: "pending", createdAt: sql`now()`, expiresAt: null },
    })
    .returning({ id: artifacts.id });
  return row!.id;
}

/** The size of an artifact once its bytes are stored. */
export async function recordArtifactSize(db: DbOrTx, id: string, size: number): Promise<void> {
  await db.update(artifacts).set({ size }).where(eq(artifacts.id, id));
}
