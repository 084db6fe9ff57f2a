import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { uploads } from "../schema.js";

// Room for the submit's own transaction to commit the job that uses them: until then the sweep sees no job
// referencing a just-used upload, so a used upload is never due sooner than this.
const graceSeconds = 600;

/**
 * Marks a user's complete uploads used by a job about to be created (the
 * first use is kept: jobs that use an upload are created at or after its
 * `usedAt`, which is how the expiry sweep finds them). Returns the ids marked;
 * an id missing from it expired or changed owner since it was checked.
 */
export async function markUploadsUsed(db: Db, userId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const marked = await db
    .update(uploads)
    .set({
      usedAt: sql`coalesce(${uploads.usedAt}, now())`,
      expiresAt: sql`greatest(${uploads.expiresAt}, now() + make_interval(secs => ${graceSeconds}))`,
    })
    .where(and(inArray(uploads.id, [...ids]), eq(uploads.userId, userId), eq(uploads.status, "complete")))
    .returning({ id: uploads.id });
  return marked.map((row) => row.id);
}
