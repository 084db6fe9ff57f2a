import { afterAll, beforeAll, expect, it } from "vitest";
import { collectOverSse, collectOverWebSocket, gqlData, openWebSocketSubscription } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobEventsSubscription, jobQuery, submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
let app: Awaited<ReturnType<typeof startTestApp>>;
let token: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  app = await startTestApp(env);
  await grant(env.sql, "replay", 10);
  token = await tokenFor("replay");
});
afterAll(async () => {
  await app?.stop();
  await env?.teardown();
});

async function submit(params: Record<string, unknown>): Promise<string> {
  const data = await gqlData(app.url, submitJobMutation, { input: { type: "demo.simulate", params } }, token);
  return data.submitJob.job.id;
}

const seqs = (payloads: { data?: any }[]) => payloads.map((p) => p.data!.jobEvents.seq as number);

it("after the job ended: yields exactly the events after k, consecutive, then ends", async () => {
  const id = await submit({ steps: 6, stepMs: 5 });
  const finished = await waitFor(async () => {
    const { job } = await gqlData(app.url, jobQuery, { id }, token);
    return job.status === "SUCCEEDED" ? job : undefined;
  });
  const total = finished.seq as number;
  expect(total).toBeGreaterThanOrEqual(9);

  for (const after of [0, 3, total - 1, total]) {
    const payloads = await collectOverSse(app.url, token, jobEventsSubscription, { id, after });
    const expected = Array.from({ length: total - after }, (_, i) => after + i + 1);
    // after = total: nothing newer will ever come, but the log's last event is terminal, so the stream must still end.
    expect(seqs(payloads)).toEqual(expected);
  }
});

it("while the job runs: replays the log, then goes live with no gap and no duplicate", async () => {
  const id = await submit({ steps: 40, stepMs: 25 });
  await waitFor(async () => {
    const { job } = await gqlData(app.url, jobQuery, { id }, token);
    return job.seq >= 6 ? job : undefined;
  });
  const after = 2;
  const payloads = await collectOverWebSocket(app.url, token, jobEventsSubscription, { id, after });
  const received = seqs(payloads);
  expect(received[0]).toBe(after + 1);
  received.forEach((seq, i) => expect(seq).toBe(after + 1 + i));
  expect(payloads.at(-1)!.data!.jobEvents.status).toBe("SUCCEEDED");

  const { job } = await gqlData(app.url, jobQuery, { id }, token);
  expect(received.at(-1)).toBe(job.seq);
  const progress = payloads.map((p) => p.data!.jobEvents.progress as number);
  progress.slice(1).forEach((value, i) => expect(value).toBeGreaterThanOrEqual(progress[i]!));
});

it("many subscribers joining at different moments each see a gapless tail", async () => {
  const id = await submit({ steps: 30, stepMs: 20 });
  const subscriptions = [];
  for (let i = 0; i < 5; i++) {
    subscriptions.push(collectOverWebSocket(app.url, token, jobEventsSubscription, { id, after: 0 }));
    await waitFor(async () => ((await env.sql`select seq from jobs where id = ${id}`)[0]!.seq >= 2 + i * 5 ? true : undefined));
  }
  for (const payloads of await Promise.all(subscriptions)) {
    const received = seqs(payloads);
    received.forEach((seq, i) => expect(seq).toBe(i + 1));
    expect(payloads.at(-1)!.data!.jobEvents.status).toBe("SUCCEEDED");
  }
});

it("stops sending when the client unsubscribes", async () => {
  const id = await submit({ steps: 20, stepMs: 20 });
  const subscription = openWebSocketSubscription(app.url, token, jobEventsSubscription, { id, after: 0 });
  const first = await subscription.next();
  expect(first!.data!.jobEvents.seq).toBe(1);
  await subscription.close();
});
