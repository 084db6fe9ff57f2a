import { and, eq, lte, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { webhookDeliveries, type WebhookDeliveryRow } from "../schema.js";

/** A delivery a sender holds until `leaseUntil`; `attempts` counts this try. */
export type ClaimedWebhookDelivery = Pick<WebhookDeliveryRow, "id" | "jobId" | "event" | "endpoint" | "payload" | "attempts"> & {
  /** The delivery's `next_attempt_at` as the claim set it: the try's outcome is written only while it still holds (resendWebhookDelivery or another sender's claim moves it). */
  leaseUntil: Date;
};

/**
 * Takes up to `limit` pending deliveries that are due, oldest due first, for
 * one try each: counts the try and pushes `next_attempt_at` `leaseMs` ahead,
 * so no other sender (SKIP LOCKED: any number of processes run one) takes
 * them meanwhile, and a sender that dies mid-try leaves them due again when
 * the lease runs out. No transaction stays open while the request is out.
 */
export async function claimWebhookDeliveries(db: Db, options: { limit: number; leaseMs: number }): Promise<ClaimedWebhookDelivery[]> {
  const due = db.$with("due").as(
    db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      // A literal, not a parameter: a prepared statement's generic plan can then use the partial index of due deliveries.
      .where(and(sql`${webhookDeliveries.status} = 'pending'`, lte(webhookDeliveries.nextAttemptAt, sql`now()`)))
      .orderBy(webhookDeliveries.nextAttemptAt)
      .limit(options.limit)
      .for("update", { skipLocked: true }),
  );
  return db
    .with(due)
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      nextAttemptAt: sql`now() + make_interval(secs => ${options.leaseMs / 1000})`,
    })
    .from(due)
    .where(eq(webhookDeliveries.id, due.id))
    .returning({
      id: webhookDeliveries.id,
      jobId: webhookDeliveries.jobId,
      event: webhookDeliveries.event,
      endpoint: webhookDeliveries.endpoint,
      payload: webhookDeliveries.payload,
      attempts: webhookDeliveries.attempts,
      leaseUntil: webhookDeliveries.nextAttemptAt,
    });
}

/** Gives back a claimed delivery without counting its try (its sender is stopping): due at once, for any sender. */
export async function releaseWebhookDelivery(db: Db, claimed: ClaimedWebhookDelivery): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} - 1`, nextAttemptAt: sql`now()` })
    .where(heldBy(claimed));
}

/** The delivery is still the claim's: pending, with the lease the claim set. */
export const heldBy = (claimed: ClaimedWebhookDelivery) =>
  and(eq(webhookDeliveries.id, claimed.id), eq(webhookDeliveries.status, "pending"), eq(webhookDeliveries.nextAttemptAt, claimed.leaseUntil));
