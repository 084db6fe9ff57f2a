import { sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { jobTypeSettings, type JobTypeSettingsRow } from "../schema.js";

export interface JobTypeSettingsChanges {
  paused?: boolean;
  /** Null: back to the type's own concurrency. */
  concurrency?: number | null;
}

/** Sets some of a type's queue controls, creating its row on first use; the rest keep their values. */
export async function saveJobTypeSettings(db: Db, type: string, changes: JobTypeSettingsChanges): Promise<JobTypeSettingsRow> {
  const [row] = await db
    .insert(jobTypeSettings)
    .values({ type, ...changes })
    .onConflictDoUpdate({ target: jobTypeSettings.type, set: { ...changes, updatedAt: sql`now()` } })
    .returning();
  return row!;
}
