import { Webhook } from "standardwebhooks";

export { WebhookVerificationError } from "standardwebhooks";

/**
 * For an app's receiver: checks a webhook's signature and age (Standard
 * Webhooks, 5 minutes' tolerance) against the endpoint's secret and returns
 * its parsed body; throws WebhookVerificationError otherwise. `body` must be
 * the raw bytes received, not JSON parsed and serialised again.
 */
export function verifyWebhook<Payload = unknown>(secret: string, body: string | Uint8Array, headers: Record<string, string | string[] | undefined>): Payload {
  const flat = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(", ") : (value ?? "")]));
  return new Webhook(secret).verify(body, flat) as Payload;
}
