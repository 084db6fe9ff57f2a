import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { defineTestJobType } from "./helpers/job-types.js";
import { demoSimulate } from "../src/jobs/types/demo-simulate.js";
import { z } from "zod";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
const apps: Awaited<ReturnType<typeof startTestApp>>[] = [];

const quick = defineTestJobType({
  name: "test.quick",
  description: "returns at once",
  cost: 1,
  timeoutMs: 200,
  maxAttempts: 2,
  backoffMs: [50],
  params: z.object({}),
  run: async () => "done",
});

beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => {
  for (const app of apps.reverse()) await app.stop();
  await env?.teardown();
});

it("re-queues a RUNNING job whose worker vanished without the broker noticing, and runs it", async () => {
  const types = [demoSimulate, quick];
  const gateway = await startTestApp(env, { overrides: { ROLE: "gateway" }, jobTypes: types });
  apps.push(gateway);
  await grant(env.sql, "stalled", 2);
  const token = await tokenFor("stalled");
  const data = await gqlData(gateway.url, submitJobMutation, { input: { type: "test.quick", params: {} } }, token);
  const id = data.submitJob.job.id;

  // The state a network cut leaves: the job RUNNING with an old heartbeat, its
  // delivery still held by a connection the broker thinks is alive (here: gone).
  const broker = new Connection(env.vhost.url);
  await waitFor(async () => (await broker.queueDeclare({ queue: "jobs.test.quick", passive: true })).messageCount === 1 || undefined);
  await broker.queuePurge({ queue: "jobs.test.quick" });
  await broker.close();
  await env.sql`update jobs set status = 'RUNNING', attempts = 1, heartbeat_at = now() - interval '1 hour' where id = ${id}`;

  const worker = await startTestApp(env, { overrides: { ROLE: "worker", HEARTBEAT_MS: "100", STALLED_GRACE_MS: "100" }, jobTypes: types });
  apps.push(worker);
  const job = await waitFor(async () => {
    const [row] = await env.sql`select status, attempts, result from jobs where id = ${id}`;
    return row!.status === "SUCCEEDED" ? row : undefined;
  });
  expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 2, result: "done" });
  const events = await env.sql`select status, message from job_events where job_id = ${id} order by seq`;
  expect(events.map((e) => e.status)).toContain("RETRYING");
  const report = (await ledgerReport(env.sql)).find((r) => r.subject === "stalled")!;
  expect(report).toMatchObject({ balance: 1, ledgerSum: 1, charged: 1, succeededCost: 1 });
});
