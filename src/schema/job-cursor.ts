import type { JobCursor } from "../db/queries/read-jobs.js";
import { isUuid } from "../domain/ids.js";

// What encodeJobCursor writes: a base64url of "<ISO date with milliseconds>|<uuid>", 61 characters then 84.
const maxCursorLength = 100;
const isoMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// PostgreSQL's timestamptz starts at 4713 BC; JavaScript's year 0 and before are not worth a cursor.
const earliest = Date.UTC(1, 0, 1);

export function encodeJobCursor(job: JobCursor): string {
  return Buffer.from(`${job.createdAt.toISOString()}|${job.id}`).toString("base64url");
}

/**
 * The position a cursor names, or null when it is not one this API wrote
 * (garbage, another format, or a date PostgreSQL cannot hold).
 */
export function decodeJobCursor(cursor: string): JobCursor | null {
  if (cursor.length > maxCursorLength || !/^[A-Za-z0-9_-]*$/.test(cursor)) return null;
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || at === undefined || id === undefined || !isoMillis.test(at) || !isUuid(id)) return null;
  const createdAt = new Date(at);
  const time = createdAt.getTime();
  // The round trip refuses dates JavaScript would roll over, such as February 30th.
  if (Number.isNaN(time) || time < earliest || createdAt.toISOString() !== at) return null;
  return { createdAt, id };
}
