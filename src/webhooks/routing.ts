import type { WebhookEndpoint, WebhookEvent } from "./endpoint.js";

/**
 * Which configured endpoints an event goes to. The writers of terminal
 * transitions take it as a dependency and write one delivery per endpoint
 * it names; none (the common case) costs them nothing.
 */
export interface WebhookRouting {
  endpointsFor(event: WebhookEvent): readonly WebhookEndpoint[];
}

/** The routing of the app's configured endpoints; an endpoint listed twice for an event (same URL) is told once. */
export function makeWebhookRouting(endpoints: readonly WebhookEndpoint[]): WebhookRouting {
  const byEvent = new Map<WebhookEvent, WebhookEndpoint[]>();
  for (const endpoint of endpoints) {
    for (const event of new Set(endpoint.events)) {
      const list = byEvent.get(event) ?? [];
      if (!list.some((listed) => listed.url === endpoint.url)) list.push(endpoint);
      byEvent.set(event, list);
    }
  }
  return { endpointsFor: (event) => byEvent.get(event) ?? [] };
}

/** No endpoint for any event: for tools and tests that write transitions with no app listening. */
export const noWebhooks: WebhookRouting = { endpointsFor: () => [] };
