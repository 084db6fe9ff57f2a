import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "../client.js";
import { uploads } from "../schema.js";

/**
 * Marks an upload its owner terminated (tus DELETE) expired, unless a job
 * uses it. True when it did: only then may its file be removed.
 */
export async function terminateUpload(db: Db, id: string, userId: string): Promise<boolean> {
  const ended = await db
    .update(uploads)
    .set({ status: "expired" })
    .where(and(eq(uploads.id, id), eq(uploads.userId, userId), ne(uploads.status, "expired"), isNull(uploads.usedAt)))
    .returning({ id: uploads.id });
  return ended.length > 0;
}
