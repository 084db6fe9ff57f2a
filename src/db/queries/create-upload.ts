import { and, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { uploads, type UploadRow } from "../schema.js";

export type CreateUploadResult = { kind: "created"; upload: UploadRow } | { kind: "over-quota"; usedBytes: number };

/**
 * Records a new upload (status uploading) unless it would take its owner
 * past `quotaBytes`: the bytes of their uploads not yet expired, finished or
 * not (an unfinished one counts its declared size). Two creates of one user
 * at once are serialized by a transaction-scoped advisory lock on the user,
 * so both cannot pass the same room. An upload that never finishes expires
 * `retentionMs` after it began.
 */
export async function createUpload(
  db: Db,
  input: { id: string; userId: string; name: string; contentType: string; size: number; storeKey: string },
  rules: { quotaBytes: number; retentionMs: number },
): Promise<CreateUploadResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`uploads:${input.userId}`}, 0))`);
    const [used] = await tx
      .select({ bytes: sql<string>`coalesce(sum(${uploads.size}), 0)` })
      .from(uploads)
      .where(and(eq(uploads.userId, input.userId), ne(uploads.status, "expired")));
    const usedBytes = Number(used?.bytes ?? 0);
    if (usedBytes + input.size > rules.quotaBytes) return { kind: "over-quota", usedBytes };
    const [upload] = await tx
      .insert(uploads)
      .values({ ...input, status: "uploading", expiresAt: sql`now() + make_interval(secs => ${rules.retentionMs / 1000})` })
      .returning();
    return { kind: "created", upload: upload! };
  });
}
