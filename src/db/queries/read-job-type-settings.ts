import type { Db } from "../client.js";
import { jobTypeSettings, type JobTypeSettingsRow } from "../schema.js";

/** Every job type's queue controls an operator has set (a type without a row has none). A handful of rows: read whole. */
export async function readJobTypeSettings(db: Db): Promise<JobTypeSettingsRow[]> {
  return db.select().from(jobTypeSettings);
}
