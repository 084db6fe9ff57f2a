/** The job transitions an app's backend can be told of. */
export const webhookEvents = ["job.succeeded", "job.failed", "job.cancelled"] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** An app's endpoint that receives signed job events (Standard Webhooks). */
export interface WebhookEndpoint {
  url: string;
  events: readonly WebhookEvent[];
  /** A Standard Webhooks secret (`whsec_…`, base64 after the prefix). */
  secret: string;
}
