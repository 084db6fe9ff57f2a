import { sql, type SQL, type WithSubquery } from "drizzle-orm";
import type { WebhookEndpoint, WebhookEvent } from "../../webhooks/endpoint.js";
import type { DbOrTx, Tx } from "../client.js";
import { jobs, ledgerEntries, users, webhookDeliveries } from "../schema.js";
import { slot, statement, type Statement } from "../statement.js";

/**
 * The writes of webhook deliveries, one per endpoint, about a job that has
 * just reached a terminal status, in the transition's own transaction: a
 * committed transition always has its deliveries, and a rolled-back one
 * none. The payload (webhooks/payload.ts, WebhookPayload) is built here from
 * the row as the transition left it, so it holds the database's
 * `finished_at` and the owner's subject without another read.
 *
 * The endpoints' URLs are one parameter, the slot `endpointUrls` (an array),
 * so the statement is the same however many endpoints there are.
 */

/** The CTE `deliveries`, for the transition's statement to compose: the job is the row `moved` returns. */
export function webhookDeliveriesStatement(q: DbOrTx, moved: WithSubquery, event: WebhookEvent) {
  return q.$with("deliveries", {}).as(insertDeliveries(sql`${moved}`, event, sql`true`));
}

/** The URLs of `endpoints`, the value of the slot `endpointUrls`. */
export const endpointUrls = (endpoints: readonly WebhookEndpoint[]) => endpoints.map((endpoint) => endpoint.url);

/**
 * The same as a statement of `tx`, reading the job as the transaction has
 * it (after its transition and refund); nothing when no endpoint is given.
 */
export async function recordWebhookDeliveries(tx: Tx, jobId: string, event: WebhookEvent, endpoints: readonly WebhookEndpoint[]): Promise<void> {
  if (endpoints.length === 0) return;
  await deliveriesOf(event).run(tx, { jobId, endpointUrls: endpointUrls(endpoints) });
}

const byEvent = new Map<WebhookEvent, Statement<{ jobId: string; endpointUrls: string[] }, unknown>>();
function deliveriesOf(event: WebhookEvent) {
  let prepared = byEvent.get(event);
  if (!prepared) byEvent.set(event, (prepared = statement(() => insertDeliveries(sql`${jobs}`, event, sql`j.id = ${slot("jobId")}`))));
  return prepared;
}

function insertDeliveries(source: SQL, event: WebhookEvent, when: SQL) {
  return sql`
    insert into ${webhookDeliveries} (job_id, event, endpoint, payload)
    select j.id, ${event}::text, target.url, ${payloadOf(event)}
    from ${source} j
    join ${users} u on u.id = j.user_id
    cross join unnest(${slot("endpointUrls")}::text[]) as target(url)
    where ${when}`;
}

// As JavaScript's toISOString writes them (the columns hold milliseconds).
const iso = (column: "created_at" | "finished_at") => sql.raw(`to_char(j.${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

// What this transition gave back: the refund of the job's latest charge, if
// there is one (retryJob charges a job again, and each run is refunded at most once).
const refundOfLatestCharge = sql`coalesce((
  select refund.amount from ${ledgerEntries} refund
  where refund.refund_of = (
    select charge.id from ${ledgerEntries} charge
    where charge.job_id = j.id and charge.kind = 'charge' order by charge.id desc limit 1)
), 0)`;

function payloadOf(event: WebhookEvent) {
  const succeeded = event === "job.succeeded";
  return sql`jsonb_build_object(
    'type', ${event}::text,
    'timestamp', ${iso("finished_at")},
    'data', jsonb_build_object(
      'id', j.id, 'type', j.type, 'status', j.status,
      ${succeeded ? sql.raw(`'result', j.result`) : sql.raw(`'error', j.error`)},
      'owner', jsonb_build_object('id', u.id, 'subject', u.subject),
      'cost', j.cost,
      'refunded', ${succeeded ? sql.raw("0") : refundOfLatestCharge},
      'attempts', j.attempts,
      'createdAt', ${iso("created_at")},
      'finishedAt', ${iso("finished_at")}))`;
}
