import { and, desc, eq, inArray, lt, ne, or, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { uploads, type UploadRow } from "../schema.js";

/** The upload of this id whatever its owner and status (the caller decides what it may see), or null. */
export async function findUpload(db: Db, id: string): Promise<UploadRow | null> {
  const [upload] = await db.select().from(uploads).where(eq(uploads.id, id));
  return upload ?? null;
}

/** The uploads of these ids, in no particular order; an unknown id has no row. */
export async function findUploadsByIds(db: Db, ids: readonly string[]): Promise<UploadRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(uploads).where(inArray(uploads.id, [...ids]));
}

/**
 * A user's uploads not expired (all users' with a null owner), newest first,
 * after the (createdAt, id) cursor when one is given; complete ones only
 * unless `includeUnfinished`.
 */
export async function listUploads(
  db: Db,
  ownerId: string | null,
  options: { first: number; after?: { createdAt: Date; id: string } | null; includeUnfinished?: boolean },
): Promise<UploadRow[]> {
  const conditions: (SQL | undefined)[] = [
    ownerId === null ? undefined : eq(uploads.userId, ownerId),
    options.includeUnfinished ? ne(uploads.status, "expired") : eq(uploads.status, "complete"),
  ];
  if (options.after) {
    const { createdAt, id } = options.after;
    conditions.push(or(lt(uploads.createdAt, createdAt), and(eq(uploads.createdAt, createdAt), lt(uploads.id, id))));
  }
  return db
    .select()
    .from(uploads)
    .where(and(...conditions))
    .orderBy(desc(uploads.createdAt), desc(uploads.id))
    .limit(options.first);
}
