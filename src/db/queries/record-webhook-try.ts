import { sql } from "drizzle-orm";
import type { TryOutcome } from "../../webhooks/retry-schedule.js";
import type { Db } from "../client.js";
import { webhookAttempts, webhookDeliveries } from "../schema.js";
import { heldBy, type ClaimedWebhookDelivery } from "./claim-webhook-deliveries.js";

export interface WebhookTry {
  /** The HTTP status, or null when no answer came. */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Records a try (a webhook_attempts row, always: it happened) and moves the
 * delivery on by its outcome: delivered, due again after the delay, or
 * failed. One statement. The move is fenced by the claim's lease; false when
 * the delivery was resent or claimed again meanwhile, which then decides.
 */
export async function recordWebhookTry(db: Db, claimed: ClaimedWebhookDelivery, attempt: WebhookTry, outcome: TryOutcome): Promise<boolean> {
  const recorded = db.$with("recorded", {}).as(sql`
    insert into ${webhookAttempts} (delivery_id, status_code, error, duration_ms)
    values (${claimed.id}::uuid, ${attempt.statusCode}::int, ${attempt.error}::text, ${Math.round(attempt.durationMs)}::int)`);
  const moved = await db
    .with(recorded)
    .update(webhookDeliveries)
    .set(
      outcome.kind === "delivered"
        ? { status: "delivered", deliveredAt: sql`now()` }
        : outcome.kind === "retry"
          ? { nextAttemptAt: sql`now() + make_interval(secs => ${outcome.delayMs / 1000})` }
          : { status: "failed" },
    )
    .where(heldBy(claimed))
    .returning({ id: webhookDeliveries.id });
  return moved.length > 0;
}
