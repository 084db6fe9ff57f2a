import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { demoSimulate } from "../src/jobs/types/demo-simulate.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
const apps: Awaited<ReturnType<typeof startTestApp>>[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => {
  for (const app of apps.reverse()) await app.stop();
  await env?.teardown();
});

it("with 20 low and 20 high priority jobs waiting, a consumer of concurrency 1 starts the high ones first", async () => {
  const gateway = await startTestApp(env, { overrides: { ROLE: "gateway" } });
  apps.push(gateway);
  await grant(env.sql, "priority", 40);
  // Priority 9 is above demo.simulate's maxUserPriority: only an admin may ask for it.
  const token = await tokenFor("priority", { admin: true });
  const ids = new Map<string, number>();
  for (let i = 0; i < 20; i++) {
    for (const priority of [0, 9]) {
      const data = await gqlData(gateway.url, submitJobMutation, { input: { type: "demo.simulate", priority, params: {} } }, token);
      ids.set(data.submitJob.job.id, priority);
    }
  }
  // Every message is in the queue before any consumer exists.
  const broker = new Connection(env.vhost.url);
  await waitFor(async () => (await broker.queueDeclare({ queue: "jobs.demo.simulate", passive: true })).messageCount === 40 || undefined);
  await broker.close();

  const worker = await startTestApp(env, { overrides: { ROLE: "worker" }, jobTypes: [{ ...demoSimulate, concurrency: 1 }] });
  apps.push(worker);
  await waitFor(async () => (await env.sql`select count(*)::int as n from jobs where status = 'SUCCEEDED'`)[0]!.n === 40 || undefined);

  const order = await env.sql<{ id: string }[]>`select id from jobs order by started_at, id`;
  const priorities = order.map((row) => ids.get(row.id));
  expect(priorities.slice(0, 20)).toEqual(Array(20).fill(9));
  expect(priorities.slice(20)).toEqual(Array(20).fill(0));
});
