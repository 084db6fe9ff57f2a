import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { jobs, outbox } from "../schema.js";
import { slot, statement } from "../statement.js";

export interface OutboxEntry {
  id: number;
  jobId: string;
  type: string;
  priority: number;
}

/**
 * Publishes the entries older than `minAgeMs` (younger ones are still being
 * published by the request that wrote them) with `publish`, and deletes those
 * confirmed, in one transaction. SKIP LOCKED lets many relays share the table.
 */
export async function relayOutbox(
  db: Db,
  options: { minAgeMs: number; limit: number },
  publish: (entries: OutboxEntry[]) => Promise<number[]>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const entries = await tx
      .select({ id: outbox.id, jobId: outbox.jobId, type: jobs.type, priority: jobs.priority })
      .from(outbox)
      .innerJoin(jobs, eq(jobs.id, outbox.jobId))
      // A retry's row waits for its attempt to be due; then its message goes straight to work.
      .where(
        sql`${outbox.createdAt} < now() - make_interval(secs => ${options.minAgeMs / 1000})
          and (${outbox.availableAt} is null or ${outbox.availableAt} <= now())`,
      )
      .orderBy(outbox.id)
      .limit(options.limit)
      .for("update", { of: outbox, skipLocked: true });
    if (entries.length === 0) return 0;
    const published = await publish(entries);
    if (published.length > 0) await tx.delete(outbox).where(inArray(outbox.id, published));
    return published.length;
  });
}

/**
 * Forgets the entries of jobs RabbitMQ confirmed, in one statement. Only
 * entries due at once (a submit's, a hand-back's): a retry's entry, written
 * by an attempt that may have run and failed since, is its consumer's to
 * delete (deleteOutboxEntry).
 */
export async function deleteOutboxEntriesOfJobs(db: Db, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length > 0) await deleteOfJobs.run(db, { jobIds: [...jobIds] });
}

/** Forgets one entry whose message RabbitMQ confirmed. */
export async function deleteOutboxEntry(db: Db, id: number): Promise<void> {
  await deleteOne.run(db, { id });
}

// The ids as one array parameter, so the text is the same for any number of them.
const deleteOfJobs = statement<{ jobIds: string[] }>((q) =>
  q.delete(outbox).where(sql`${outbox.jobId} = any(${slot("jobIds")}::uuid[]) and ${outbox.availableAt} is null`),
);

const deleteOne = statement<{ id: number }>((q) => q.delete(outbox).where(sql`${outbox.id} = ${slot("id")}`));
