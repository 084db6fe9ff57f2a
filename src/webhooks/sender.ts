import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import { claimWebhookDeliveries, releaseWebhookDelivery, type ClaimedWebhookDelivery } from "../db/queries/claim-webhook-deliveries.js";
import { recordWebhookTry, type WebhookTry } from "../db/queries/record-webhook-try.js";
import { isTerminal } from "../domain/job-status.js";
import type { JobHintListener } from "../events/job-hint-listener.js";
import type { Metrics } from "../observability/metrics.js";
import { rootCause } from "../observability/root-cause.js";
import type { WebhookEndpoint } from "./endpoint.js";
import { webhookBody } from "./payload.js";
import { isAccepted, tryOutcome } from "./retry-schedule.js";
import { signedWebhookRequest } from "./signed-request.js";

export interface WebhookSenderDeps {
  db: Db;
  /** The configured endpoints: a delivery is signed with the secret of the endpoint of its URL. */
  endpoints: readonly WebhookEndpoint[];
  /** Hints of finished jobs wake the sender, so a delivery leaves moments after its transition commits. */
  hintListener: Pick<JobHintListener, "subscribe">;
  log: Logger;
  metrics: Metrics;
  /** Waits before each retry (config WEBHOOK_RETRY_DELAYS_MS); the try after the last one is the last. */
  retryDelaysMs: readonly number[];
  /** How often to look for due deliveries without a hint (another process's job, a retry due). Default 1000. */
  pollMs?: number;
  /** How long a try may take, answer included. Default 10000. */
  timeoutMs?: number;
  /** Tries in flight at once in this process. Default 16. */
  concurrency?: number;
}

// A claim holds a delivery this much longer than a try may take: a sender
// that dies mid-try leaves it due again after that.
const leaseMarginMs = 20_000;
// Hints of finished jobs arrive in bursts: one look for the whole burst.
const hintCoalesceMs = 25;
// Enough of a refusal's body to say why (an endpoint's "bad signature"), not the whole page.
const errorBodyBytes = 256;

/**
 * Sends pending webhook deliveries, at least once each: claims the due ones
 * (any number of processes run a sender), POSTs each stored payload signed
 * with Standard Webhooks headers, and records the try. A 2xx delivers; any
 * other status, a redirect (never followed), a refused connection or a
 * timeout schedules the next try by the retry schedule, and after the last
 * one the delivery is given up (status failed; resendWebhookDelivery revives it).
 */
export function startWebhookSender(deps: WebhookSenderDeps) {
  const pollMs = deps.pollMs ?? 1_000;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const concurrency = deps.concurrency ?? 16;
  const secrets = new Map<string, string>();
  for (const endpoint of deps.endpoints) if (!secrets.has(endpoint.url)) secrets.set(endpoint.url, endpoint.secret);

  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let passing: Promise<void> | null = null;
  let passAgain = false;
  // The last claim took as many as there were free slots: more may be due, so a finished try looks again.
  let saturated = false;
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;

  /** Looks for due deliveries now (or right after the pass under way). */
  function wake(): void {
    if (stopping.signal.aborted) return;
    if (passing) {
      passAgain = true;
      return;
    }
    passing = pass()
      .catch((err: unknown) => deps.log.warn({ err: describe(err) }, "webhook sender pass failed"))
      .finally(() => {
        passing = null;
        if (passAgain) wake();
      });
  }

  async function pass(): Promise<void> {
    do {
      passAgain = false;
      const free = concurrency - inFlight.size;
      if (stopping.signal.aborted) return;
      if (free <= 0) {
        saturated = true;
        return;
      }
      const claimed = await claimWebhookDeliveries(deps.db, { limit: free, leaseMs: timeoutMs + leaseMarginMs });
      for (const delivery of claimed) {
        const sending: Promise<void> = send(delivery)
          .catch((err: unknown) => deps.log.warn({ err: describe(err), deliveryId: delivery.id }, "webhook try could not be recorded; due again when its lease ends"))
          .finally(() => {
            inFlight.delete(sending);
            if (saturated) wake();
          });
        inFlight.add(sending);
      }
      saturated = claimed.length === free;
      if (saturated) passAgain = true;
    } while (passAgain);
  }

  /** Wakes at `at` (epoch ms) unless a wake is already set sooner; the poll is the latest one. */
  function wakeAt(at: number): void {
    if (stopping.signal.aborted || at >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = null;
      timerAt = Infinity;
      wake();
      wakeAt(Date.now() + pollMs);
    }, Math.max(0, at - Date.now()));
    timer.unref();
  }

  async function send(delivery: ClaimedWebhookDelivery): Promise<void> {
    const attempt = await post(delivery);
    if (attempt === null) {
      await releaseWebhookDelivery(deps.db, delivery);
      return;
    }
    const outcome = tryOutcome(attempt.statusCode, delivery.attempts, deps.retryDelaysMs);
    const held = await recordWebhookTry(deps.db, delivery, attempt, outcome);
    const fields = { deliveryId: delivery.id, jobId: delivery.jobId, event: delivery.event, endpoint: delivery.endpoint, try: delivery.attempts };
    if (!held) {
      deps.log.info(fields, "webhook delivery was resent during its try; the resend decides");
      return;
    }
    const kind = outcome.kind === "retry" ? "retried" : outcome.kind;
    deps.metrics.webhookDeliveries.inc({ outcome: kind });
    if (outcome.kind === "retry") {
      deps.log.info({ ...fields, statusCode: attempt.statusCode, err: attempt.error, retryInMs: outcome.delayMs }, "webhook try failed; retrying later");
      wakeAt(Date.now() + outcome.delayMs);
    } else if (outcome.kind === "failed") {
      deps.log.warn({ ...fields, statusCode: attempt.statusCode, err: attempt.error }, "webhook delivery given up after its last try");
    }
  }

  /** One try; null when it was cut short because the sender is stopping. */
  async function post(delivery: ClaimedWebhookDelivery): Promise<WebhookTry | null> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const secret = secrets.get(delivery.endpoint);
    if (secret === undefined) return { statusCode: null, error: "endpoint no longer configured", durationMs: 0 };
    const request = signedWebhookRequest(secret, delivery.id, webhookBody(delivery.payload), new Date());
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(delivery.endpoint, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        // A redirect is the endpoint's answer, not somewhere else to send the job to.
        redirect: "manual",
        signal: AbortSignal.any([timeout, stopping.signal]),
      });
      if (isAccepted(response.status)) {
        await response.body?.cancel();
        return { statusCode: response.status, error: null, durationMs: elapsed() };
      }
      const location = response.headers.get("location");
      const body = await bodyStart(response).catch(() => "");
      const error = location !== null ? `redirect to ${location} not followed` : body || null;
      return { statusCode: response.status, error, durationMs: elapsed() };
    } catch (err) {
      if (stopping.signal.aborted) return null;
      const error = timeout.aborted ? `no answer within ${timeoutMs} ms` : describe(err);
      return { statusCode: null, error, durationMs: elapsed() };
    }
  }

  const unsubscribe = deps.hintListener.subscribe((hint) => {
    if (isTerminal(hint.status)) wakeAt(Date.now() + hintCoalesceMs);
  });
  wake();
  wakeAt(Date.now() + pollMs);

  return {
    /** Stops claiming; tries in flight are cut short and given back, due at once for whichever sender runs next. */
    async stop(): Promise<void> {
      stopping.abort();
      unsubscribe();
      if (timer) clearTimeout(timer);
      await passing;
      await Promise.all(inFlight);
    },
  };
}

/** The first bytes of a refusal's body, as text. */
async function bodyStart(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < errorBodyBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, errorBodyBytes)).trim();
}

/** Why a request got no answer: the socket's reason (ECONNREFUSED, say) rather than fetch's "fetch failed". */
function describe(err: unknown): string {
  const cause = rootCause(err);
  if (cause instanceof Error) {
    const code = "code" in cause && typeof cause.code === "string" ? cause.code : null;
    if (code === null || cause.message.includes(code)) return cause.message || cause.name;
    return cause.message ? `${code}: ${cause.message}` : code;
  }
  return String(cause);
}

export type WebhookSender = ReturnType<typeof startWebhookSender>;
