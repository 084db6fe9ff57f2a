import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { uploads, type UploadRow } from "../schema.js";

/**
 * Marks an upload whose bytes have all arrived complete; unless a job uses
 * it, it expires `retentionMs` from now. Null when there is no such upload
 * still uploading (it expired meanwhile, or was completed already).
 */
export async function completeUpload(db: Db, id: string, size: number, retentionMs: number): Promise<UploadRow | null> {
  const [upload] = await db
    .update(uploads)
    .set({ status: "complete", size, completedAt: sql`now()`, expiresAt: sql`now() + make_interval(secs => ${retentionMs / 1000})` })
    .where(and(eq(uploads.id, id), eq(uploads.status, "uploading")))
    .returning();
  return upload ?? null;
}
