import { sql, type WithSubquery } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import { ledgerEntries, outbox } from "../schema.js";

/**
 * CTEs writing what a paid job queued by the same statement needs besides
 * its event: the ledger charge of its cost and the outbox row that gets its
 * message published. `job` is the CTE returning the job row (none: nothing).
 */
export function chargeAndOutboxRows(q: DbOrTx, job: WithSubquery) {
  const charge = q.$with("charge", {}).as(sql`
    insert into ${ledgerEntries} (user_id, amount, kind, job_id)
    select user_id, -cost, 'charge', id from ${job}`);
  const queued = q.$with("queued", {}).as(sql`insert into ${outbox} (job_id) select id from ${job}`);
  return [charge, queued] as const;
}
