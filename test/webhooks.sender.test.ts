import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createMetrics } from "../src/observability/metrics.js";
import type { WebhookEndpoint } from "../src/webhooks/endpoint.js";
import { startWebhookSender, type WebhookSenderDeps } from "../src/webhooks/sender.js";
import { waitFor } from "./helpers/processes.js";
import { createTestEnvironment, type TestEnvironment } from "./helpers/test-app.js";
import { startWebhookReceiver, webhookSecret, type WebhookReceiver } from "./helpers/webhook-receiver.js";

// The sender alone, against deliveries written here: what it does with each kind of answer.
let env: TestEnvironment;
let jobId: string;
const receivers: WebhookReceiver[] = [];
const senders: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  const [user] = await env.sql`insert into users (subject) values ('sender-test') returning id`;
  const [job] = await env.sql`
    insert into jobs (user_id, type, status, priority, params, max_attempts, cost)
    values (${user!.id}, 'demo.simulate', 'SUCCEEDED', 0, '{}', 1, 0) returning id`;
  jobId = job!.id;
});

afterAll(async () => {
  for (const sender of senders) await sender.stop();
  for (const receiver of receivers) await receiver.close();
  await env?.teardown();
});

async function receiver(answer: Parameters<typeof startWebhookReceiver>[0]) {
  const started = await startWebhookReceiver(answer);
  receivers.push(started);
  return started;
}

function sender(endpoints: WebhookEndpoint[], options: Partial<WebhookSenderDeps> = {}) {
  const started = startWebhookSender({
    db: env.db,
    endpoints,
    hintListener: { subscribe: () => () => {} },
    log: pino({ level: "silent" }),
    metrics: createMetrics(),
    retryDelaysMs: [20, 20],
    pollMs: 50,
    ...options,
  });
  senders.push(started);
  return started;
}

const endpoint = (url: string, seed: string): WebhookEndpoint => ({ url, events: ["job.succeeded"], secret: webhookSecret(seed) });

async function delivery(url: string, payload: unknown = { type: "job.succeeded", timestamp: "2024-01-01T00:00:00.000Z", data: { id: jobId } }) {
  const [row] = await env.sql`
    insert into webhook_deliveries (job_id, event, endpoint, payload) values (${jobId}, 'job.succeeded', ${url}, ${JSON.stringify(payload)}::jsonb)
    returning id`;
  return row!.id as string;
}

const stateOf = async (id: string) => {
  const [row] = await env.sql`select status, attempts from webhook_deliveries where id = ${id}`;
  const tries = await env.sql`select status_code, error from webhook_attempts where delivery_id = ${id} order by at, id`;
  return { status: row!.status as string, attempts: row!.attempts as number, tries: tries.map((t) => [t.status_code, t.error]) };
};

it("gives a delivery up after the last try of the schedule, and a resend starts it over", async () => {
  const refusing = await receiver(() => ({ status: 500, body: "x".repeat(10_000) }));
  const id = await delivery(refusing.url);
  const running = sender([endpoint(refusing.url, "refusing")]);
  const given = await waitFor(async () => ((await stateOf(id)).status === "failed" ? stateOf(id) : undefined), { what: "the delivery to be given up" });
  // Two delays: three tries. The error holds the start of the answer, not all of it.
  expect(given.attempts).toBe(3);
  expect(given.tries).toHaveLength(3);
  for (const [status, error] of given.tries) {
    expect(status).toBe(500);
    expect(error).toBe("x".repeat(256));
  }
  expect(refusing.received).toHaveLength(3);

  refusing.answerWith(() => ({ status: 200 }));
  await env.sql`update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = now() where id = ${id}`;
  await waitFor(async () => (await stateOf(id)).status === "delivered", { what: "the resent delivery" });
  expect((await stateOf(id)).tries.map(([status]) => status)).toEqual([500, 500, 500, 200]);
  await running.stop();
});

it("does not follow a redirect: it is a refusal, and the place it names gets nothing", async () => {
  const elsewhere = await receiver(() => ({ status: 204 }));
  const redirecting = await receiver(() => ({ status: 307, location: elsewhere.url }));
  const id = await delivery(redirecting.url);
  const running = sender([endpoint(redirecting.url, "redirecting")], { retryDelaysMs: [] });
  await waitFor(async () => (await stateOf(id)).status === "failed", { what: "the redirected delivery to fail" });
  expect((await stateOf(id)).tries).toEqual([[307, `redirect to ${elsewhere.url} not followed`]]);
  expect(elsewhere.received).toHaveLength(0);
  await running.stop();
});

it("gives up on a try with no answer within its timeout", async () => {
  const silent = await receiver(() => "hang");
  const id = await delivery(silent.url);
  const running = sender([endpoint(silent.url, "silent")], { retryDelaysMs: [60_000], timeoutMs: 300 });
  await waitFor(async () => (await stateOf(id)).tries.length === 1, { what: "the timed-out try" });
  expect(await stateOf(id)).toEqual({ status: "pending", attempts: 1, tries: [[null, "no answer within 300 ms"]] });
  await running.stop();
});

it("a stopping sender gives back the try it has out, uncounted and due at once", async () => {
  const silent = await receiver(() => "hang");
  const id = await delivery(silent.url);
  const running = sender([endpoint(silent.url, "stopping")], { retryDelaysMs: [60_000] });
  await waitFor(() => silent.received.length === 1, { what: "the try to be out" });
  await running.stop();
  const [row] = await env.sql`select status, attempts, next_attempt_at <= now() as due from webhook_deliveries where id = ${id}`;
  expect(row).toEqual({ status: "pending", attempts: 0, due: true });
  expect((await stateOf(id)).tries).toEqual([]);
  await env.sql`delete from webhook_deliveries where id = ${id}`;
});

it("senders in several processes share the deliveries: each is sent once", async () => {
  const accepting = await receiver(() => ({ status: 204 }));
  const ids = await Promise.all(Array.from({ length: 40 }, () => delivery(accepting.url)));
  const endpoints = [endpoint(accepting.url, "shared")];
  const running = [sender(endpoints, { concurrency: 4 }), sender(endpoints, { concurrency: 4 }), sender(endpoints, { concurrency: 4 })];
  await waitFor(async () => {
    const [row] = await env.sql`select count(*)::int as n from webhook_deliveries where id = any(${ids}) and status = 'delivered'`;
    return row!.n === ids.length;
  }, { what: "every delivery" });
  const sent = accepting.received.map((r) => r.headers["webhook-id"]);
  expect(sent.toSorted()).toEqual(ids.toSorted());
  for (const r of accepting.received) {
    expect(r.headers["webhook-signature"]).toMatch(/^v1,/);
  }
  await Promise.all(running.map((s) => s.stop()));
});

it("a delivery to a URL no longer configured is not sent, and says why", async () => {
  const id = await delivery("http://127.0.0.1:9/removed");
  const running = sender([], { retryDelaysMs: [] });
  await waitFor(async () => (await stateOf(id)).status === "failed", { what: "the orphan delivery to fail" });
  expect((await stateOf(id)).tries).toEqual([[null, "endpoint no longer configured"]]);
  await running.stop();
});
