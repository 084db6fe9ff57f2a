import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../client.js";
import { artifacts, type ArtifactRow } from "../schema.js";

/**
 * The artifacts the job shows of these (job, attempt) pairs: ready and
 * expired ones (an expired artifact keeps its record), never pending, by
 * name. Rows of other attempts are read too (rarely any: a failed attempt's
 * are removed) and left out here.
 */
export async function listShownArtifacts(db: Db, attempts: readonly { jobId: string; attempt: number }[]): Promise<ArtifactRow[]> {
  if (attempts.length === 0) return [];
  const rows = await db
    .select()
    .from(artifacts)
    .where(and(inArray(artifacts.jobId, [...new Set(attempts.map((a) => a.jobId))]), inArray(artifacts.status, ["ready", "expired"])))
    .orderBy(asc(artifacts.name));
  const wanted = new Set(attempts.map((a) => `${a.jobId}:${a.attempt}`));
  return rows.filter((row) => wanted.has(`${row.jobId}:${row.attempt}`));
}

export async function findArtifact(db: Db, id: string): Promise<ArtifactRow | null> {
  const [row] = await db.select().from(artifacts).where(eq(artifacts.id, id));
  return row ?? null;
}
