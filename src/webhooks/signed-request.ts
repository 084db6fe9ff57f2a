import { Webhook } from "standardwebhooks";

export interface SignedWebhookRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * One try's request, with Standard Webhooks headers: `webhook-id` is the
 * delivery's id (the same on every try, so a receiver can drop a repeat),
 * `webhook-timestamp` is this try's time (receivers refuse old ones), and
 * `webhook-signature` signs `id.timestamp.body` with the endpoint's secret.
 */
export function signedWebhookRequest(secret: string, deliveryId: string, body: string, at: Date): SignedWebhookRequest {
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "job-gateway-webhooks",
      "webhook-id": deliveryId,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(deliveryId, at, body),
    },
  };
}
