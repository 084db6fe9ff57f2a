import { eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { webhookDeliveries, type WebhookDeliveryRow } from "../schema.js";

/**
 * Puts a delivery back to pending, due at once, with the whole retry
 * schedule ahead of it again; same id, so the receiver sees the same
 * `webhook-id`. Its earlier tries stay in webhook_attempts. A try in flight
 * when it is resent no longer holds it (its lease is gone). Null: no such delivery.
 */
export async function resendWebhookDelivery(db: Db, id: string): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, deliveredAt: null })
    .where(eq(webhookDeliveries.id, id))
    .returning();
  return row ?? null;
}
