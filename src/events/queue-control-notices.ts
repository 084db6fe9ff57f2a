import { sql as drizzleSql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db, Sql } from "../db/client.js";

/**
 * The channel a queue-control change is noticed on (PostgreSQL LISTEN/NOTIFY).
 * A notice carries the type's name and only says "re-read": workers poll the
 * settings all the same, so a lost notice costs up to one poll interval.
 */
export const queueControlsChannel = "job_type_settings";

/** Tells every worker that a type's controls changed; call after the change committed. Never fails. */
export async function announceQueueControls(db: Db, type: string, log: Logger): Promise<void> {
  await db
    .execute(drizzleSql`select pg_notify(${queueControlsChannel}, ${type})`)
    .catch((err: Error) => log.warn({ err: err.message, type }, "queue controls notice not sent; workers apply the change on their next poll"));
}

/**
 * Calls `onNotice` on each notice, and when LISTEN is (re-)established, since
 * notices sent while it was down are lost. Shares the pool's one LISTEN
 * connection (postgres.js opens one per client, for every channel).
 */
export async function listenForQueueControls(db: Db, onNotice: () => void): Promise<() => Promise<void>> {
  // drizzle keeps the postgres.js client it was made from (createDb) as `$client`.
  const { unlisten } = await (db as Db & { $client: Sql }).$client.listen(queueControlsChannel, onNotice, onNotice);
  return unlisten;
}
