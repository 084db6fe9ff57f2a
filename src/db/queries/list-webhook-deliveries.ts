import { and, asc, desc, eq, gt, inArray, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { webhookAttempts, webhookDeliveries, type WebhookAttemptRow, type WebhookDeliveryRow } from "../schema.js";

export interface WebhookDeliveryCursor {
  createdAt: Date;
  id: string;
}

export interface WebhookDeliveryFilter {
  jobId?: string | null;
  status?: WebhookDeliveryRow["status"] | null;
}

/** A page of deliveries, newest first, by keyset on (created_at, id) (the webhook_deliveries_created index). */
export async function listWebhookDeliveries(
  db: Db,
  filter: WebhookDeliveryFilter,
  page: { after: WebhookDeliveryCursor | null; before: WebhookDeliveryCursor | null; limit: number; oldestFirst: boolean },
): Promise<WebhookDeliveryRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.jobId) conditions.push(eq(webhookDeliveries.jobId, filter.jobId));
  if (filter.status) conditions.push(eq(webhookDeliveries.status, filter.status));
  // Newest first: "after" a cursor means older than it.
  if (page.after) conditions.push(olderThan(page.after));
  if (page.before) conditions.push(newerThan(page.before));
  const order = page.oldestFirst
    ? [asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id)]
    : [desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)];
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(page.limit);
}

const olderThan = (c: WebhookDeliveryCursor) =>
  or(lt(webhookDeliveries.createdAt, c.createdAt), and(eq(webhookDeliveries.createdAt, c.createdAt), lt(webhookDeliveries.id, c.id)));
const newerThan = (c: WebhookDeliveryCursor) =>
  or(gt(webhookDeliveries.createdAt, c.createdAt), and(eq(webhookDeliveries.createdAt, c.createdAt), gt(webhookDeliveries.id, c.id)));

/** The tries of these deliveries, each delivery's in the order they happened. */
export async function listWebhookAttempts(db: Db, deliveryIds: readonly string[]): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, [...deliveryIds]))
    .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.at), asc(webhookAttempts.id));
}
