import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { z } from "zod";
import { serializeJobMessage } from "../src/broker/messages.js";
import { defineTestJobType } from "./helpers/job-types.js";
import { queueDepthIncludingUnacked } from "./helpers/broker-control.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
let app: Awaited<ReturnType<typeof startTestApp>>;
let broker: Connection;
const runs = new Map<string, number>();

const counted = defineTestJobType({
  name: "test.counted",
  description: "counts its runs",
  cost: 2,
  concurrency: 4,
  params: z.object({ ms: z.number().int().default(0) }),
  run: async ({ jobId, params }) => {
    runs.set(jobId, (runs.get(jobId) ?? 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, params.ms));
    return "ok";
  },
});

beforeAll(async () => {
  env = await createTestEnvironment();
  app = await startTestApp(env, { jobTypes: [counted] });
  broker = new Connection(env.vhost.url);
});
afterAll(async () => {
  await broker?.close();
  await app?.stop();
  await env?.teardown();
});

const publishDuplicate = async (jobId: string) => {
  const publisher = broker.createPublisher({ confirm: true });
  await publisher.send({ exchange: "jobs", routingKey: "test.counted", durable: true }, serializeJobMessage({ jobId, type: "test.counted" }));
  await publisher.close();
};

it("a duplicate message for a finished job has no second effect", async () => {
  await grant(env.sql, "dup", 10);
  const token = await tokenFor("dup");
  const data = await gqlData(app.url, submitJobMutation, { input: { type: "test.counted", params: {} } }, token);
  const id = data.submitJob.job.id;
  await waitFor(async () => (await env.sql`select status from jobs where id = ${id}`)[0]!.status === "SUCCEEDED" || undefined);
  const seqBefore = (await env.sql`select seq from jobs where id = ${id}`)[0]!.seq;

  await publishDuplicate(id);
  // The consumer acks the duplicate only once it has decided what to do with it.
  await waitFor(async () => (await queueDepthIncludingUnacked(env.vhost.name, "jobs.test.counted")) === 0 || undefined);
  expect(runs.get(id)).toBe(1);
  expect((await env.sql`select seq from jobs where id = ${id}`)[0]!.seq).toBe(seqBefore);
});

it("a job published twice while queued runs once and is charged once", async () => {
  const token = await tokenFor("dup");
  const data = await gqlData(app.url, submitJobMutation, { input: { type: "test.counted", params: { ms: 200 } } }, token);
  const id = data.submitJob.job.id;
  await publishDuplicate(id);
  await publishDuplicate(id);
  await waitFor(async () => (await env.sql`select status from jobs where id = ${id}`)[0]!.status === "SUCCEEDED" || undefined);
  await waitFor(async () => (await queueDepthIncludingUnacked(env.vhost.name, "jobs.test.counted")) === 0 || undefined);
  expect(runs.get(id)).toBe(1);
  const report = (await ledgerReport(env.sql)).find((r) => r.subject === "dup")!;
  expect(report.balance).toBe(report.ledgerSum);
  expect(report.charged).toBe(report.succeededCost);
});
