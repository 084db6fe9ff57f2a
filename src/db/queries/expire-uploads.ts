import { inArray, sql } from "drizzle-orm";
import { unfinishedStatuses } from "../../domain/job-status.js";
import type { Db } from "../client.js";
import { uploads } from "../schema.js";

export interface ExpiredUpload {
  id: string;
  storeKey: string;
  /** What it was before: uploading (never finished) or complete. */
  status: "uploading" | "complete";
}

/**
 * One round of the upload sweep. Takes up to `limit` uploads past their
 * `expiresAt` (SKIP LOCKED: gateways sweep side by side) and, for each:
 * - still needed: a job created since its first use references it in its
 *   params and is unfinished, or finished less than `retentionMs` ago (a
 *   retry may run it again): kept another `retentionMs`. The id is looked
 *   for in the params' text: drizzle stores jsonb as a JSON string holding
 *   the text, so a path query would not see inside it, and a UUID is never
 *   part of another value by chance;
 * - otherwise its file is removed (`remove`), then the row is marked
 *   expired. A removal that fails leaves the row as it was, to be tried
 *   again next round; a file already gone counts as removed.
 * The rows stay locked while their files go, so a submit that would use one
 * waits and then finds it expired.
 */
export async function expireUploads(
  db: Db,
  options: { retentionMs: number; limit: number; remove(upload: ExpiredUpload): Promise<void>; onRemoveError(upload: ExpiredUpload, error: unknown): void },
): Promise<{ taken: number; expired: ExpiredUpload[] }> {
  const retention = sql`make_interval(secs => ${options.retentionMs / 1000})`;
  return db.transaction(async (tx) => {
    const due = await tx.execute<{ id: string; store_key: string; status: "uploading" | "complete"; needed: boolean }>(sql`
      select u.id, u.store_key, u.status,
        (u.used_at is not null and exists (
          select 1 from jobs j
          where j.user_id = u.user_id and j.created_at >= u.used_at
            and (j.status in (${sql.join(unfinishedStatuses.map((status) => sql`${status}`), sql`, `)}) or j.finished_at > now() - ${retention})
            and strpos(j.params::text, u.id::text) > 0
        )) as needed
      from uploads u
      where u.status <> 'expired' and u.expires_at < now()
      order by u.expires_at
      limit ${options.limit}
      for update of u skip locked`);
    const needed = due.filter((row) => row.needed).map((row) => row.id);
    if (needed.length > 0) {
      await tx
        .update(uploads)
        .set({ expiresAt: sql`now() + ${retention}` })
        .where(inArray(uploads.id, needed));
    }
    const removed: ExpiredUpload[] = [];
    for (const row of due) {
      if (row.needed) continue;
      const upload: ExpiredUpload = { id: row.id, storeKey: row.store_key, status: row.status };
      try {
        await options.remove(upload);
        removed.push(upload);
      } catch (error) {
        options.onRemoveError(upload, error);
      }
    }
    if (removed.length > 0) {
      await tx
        .update(uploads)
        .set({ status: "expired" })
        .where(
          inArray(
            uploads.id,
            removed.map((upload) => upload.id),
          ),
        );
    }
    return { taken: due.length, expired: removed };
  });
}
