import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { defineTestJobType } from "../helpers/job-types.js";
import { gqlData } from "../helpers/graphql-client.js";
import { startBroker, stopBroker } from "../helpers/broker-control.js";
import { grant, ledgerReport } from "../helpers/ledger.js";
import { waitFor } from "../helpers/processes.js";
import { submitJobMutation } from "../helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "../helpers/test-app.js";

let env: TestEnvironment;
let app: Awaited<ReturnType<typeof startTestApp>>;
const runs = new Map<string, number>();

const counted = defineTestJobType({
  name: "test.counted",
  description: "counts its runs",
  cost: 1,
  params: z.object({}),
  run: async ({ jobId }) => {
    runs.set(jobId, (runs.get(jobId) ?? 0) + 1);
    return "ok";
  },
});

beforeAll(async () => {
  env = await createTestEnvironment();
  app = await startTestApp(env, { jobTypes: [counted], overrides: { OUTBOX_POLL_MS: "100" } });
});
afterAll(async () => {
  await startBroker();
  await app?.stop();
  await env?.teardown();
});

it("with RabbitMQ stopped, submitJob still answers QUEUED at once; when it returns, every job is published and run once", async () => {
  await grant(env.sql, "outage", 20);
  const token = await tokenFor("outage");
  await gqlData(app.url, "{ me { balance } }", {}, token);

  await stopBroker();
  await waitFor(async () => (await fetch(app.url.replace("/graphql", "/readyz"))).status === 503 || undefined, { what: "the gateway to notice the broker is down" });

  const ids: string[] = [];
  const answerTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const data = await gqlData(app.url, submitJobMutation, { input: { type: "test.counted", params: {} } }, token);
    answerTimes.push(performance.now() - started);
    expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
    expect(data.submitJob.job.status).toBe("QUEUED");
    ids.push(data.submitJob.job.id);
  }
  expect(Math.max(...answerTimes)).toBeLessThan(5_000);
  const [{ pending }] = (await env.sql`select count(*)::int as pending from outbox`) as unknown as [{ pending: number }];
  expect(pending).toBe(20);

  // What people look at during the outage answers within the broker reads' bounds (3 s for queueStats,
  // 1 s for the estimate and a scrape), not rabbitmq-client's 20 s wait: counts from PostgreSQL, broker figures null.
  const admin = await tokenFor("outage-admin", { admin: true });
  const asked = performance.now();
  const seen = await gqlData(app.url, `query ($id: ID!) { queueStats { type queued ready consumers deadLettered } job(id: $id) { status queuePosition estimatedStartAt } }`, { id: ids[0] }, admin);
  expect(performance.now() - asked).toBeLessThan(5_000);
  expect(seen.queueStats.find((s: { type: string }) => s.type === "test.counted")).toEqual({ type: "test.counted", queued: 20, ready: null, consumers: null, deadLettered: null });
  expect(seen.job).toEqual({ status: "QUEUED", queuePosition: 1, estimatedStartAt: null });
  const scraped = performance.now();
  const metrics = await (await fetch(app.url.replace("/graphql", "/metrics"))).text();
  expect(performance.now() - scraped).toBeLessThan(5_000);
  expect(metrics).not.toMatch(/^jobgw_queue_ready_messages\{/m);

  await startBroker();
  await waitFor(
    async () => (await env.sql`select count(*)::int as n from jobs where status = 'SUCCEEDED'`)[0]!.n === 20 || undefined,
    { timeoutMs: 60_000, what: "all 20 jobs to succeed after the broker returned" },
  );
  expect(ids.map((id) => runs.get(id))).toEqual(Array(20).fill(1));
  expect((await env.sql`select count(*)::int as n from outbox`)[0]!.n).toBe(0);
  const report = (await ledgerReport(env.sql)).find((r) => r.subject === "outage")!;
  expect(report).toMatchObject({ balance: 0, ledgerSum: 0, charged: 20, succeededCost: 20 });
});
