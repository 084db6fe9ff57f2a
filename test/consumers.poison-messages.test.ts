import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { queueDepthIncludingUnacked } from "./helpers/broker-control.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
let app: Awaited<ReturnType<typeof startTestApp>>;
let broker: Connection;

const workQueue = "jobs.demo.simulate";
const deadQueue = "jobs.demo.simulate.dead";

beforeAll(async () => {
  env = await createTestEnvironment();
  app = await startTestApp(env);
  broker = new Connection(env.vhost.url);
});
afterAll(async () => {
  await broker?.close();
  await app?.stop();
  await env?.teardown();
});

const bodyText = (body: unknown) => (Buffer.isBuffer(body) ? body.toString("utf8") : typeof body === "string" ? body : JSON.stringify(body));

it("unparseable, unknown-type and row-less messages end in the type's dead-letter queue with their reason", async () => {
  const missingJobId = randomUUID();
  const otherTypeJobId = randomUUID();
  const publisher = broker.createPublisher({ confirm: true });
  try {
    const envelope = { exchange: "jobs", routingKey: "demo.simulate", durable: true, mandatory: true };
    await publisher.send({ ...envelope, contentType: "application/json" }, Buffer.from("{not json"));
    await publisher.send(envelope, JSON.stringify({ jobId: missingJobId, type: "demo.simulate" }));
    await publisher.send(envelope, JSON.stringify({ jobId: otherTypeJobId, type: "other.type" }));
  } finally {
    await publisher.close();
  }

  await waitFor(async () => (await broker.queueDeclare({ queue: deadQueue, passive: true })).messageCount === 3 || undefined, {
    timeoutMs: 5_000,
    what: "three dead letters",
  });
  // Each was acked once dead-lettered: none left in (or held from) the work queue.
  await waitFor(async () => (await queueDepthIncludingUnacked(env.vhost.name, workQueue)) === 0 || undefined, {
    timeoutMs: 3_000,
    what: "the work queue to drain",
  });

  const reasons = new Map<string, string>();
  for (let i = 0; i < 3; i++) {
    const letter = await broker.basicGet({ queue: deadQueue, noAck: true });
    expect(letter).toBeDefined();
    const reason = letter!.headers?.["x-reason"];
    expect(typeof reason).toBe("string");
    reasons.set(bodyText(letter!.body), reason as string);
  }
  expect(await broker.basicGet({ queue: deadQueue, noAck: true })).toBeUndefined();

  const notJson = reasons.get("{not json");
  expect(notJson).toMatch(/not JSON/);
  const missing = [...reasons].find(([body]) => body.includes(missingJobId));
  expect(missing?.[1]).toMatch(new RegExp(`job ${missingJobId} does not exist`));
  const otherType = [...reasons].find(([body]) => body.includes(otherTypeJobId));
  expect(otherType?.[1]).toMatch(/unknown job type "other\.type"/);
  // The dead letters carry the original bodies unchanged.
  expect(JSON.parse(missing![0])).toEqual({ jobId: missingJobId, type: "demo.simulate" });
  expect(JSON.parse(otherType![0])).toEqual({ jobId: otherTypeJobId, type: "other.type" });

  // Nothing was written for them.
  const [jobCount] = await env.sql`select count(*)::int as count from jobs`;
  expect(jobCount!.count).toBe(0);
});

it("the consumers keep going after poison messages: a normal job still succeeds", async () => {
  await grant(env.sql, "after-poison", 2);
  const token = await tokenFor("after-poison");
  const data = await gqlData(
    app.url,
    submitJobMutation,
    { input: { type: "demo.simulate", params: { steps: 2, stepMs: 20, result: "still alive" } } },
    token,
  );
  const id = data.submitJob.job.id;
  const job = await waitFor(
    async () => {
      const [row] = await env.sql`select status, attempts, result from jobs where id = ${id}`;
      return row!.status === "SUCCEEDED" ? row : undefined;
    },
    { timeoutMs: 5_000, what: "the job to succeed" },
  );
  expect(job).toMatchObject({ attempts: 1, result: "still alive" });
  expect((await broker.queueDeclare({ queue: deadQueue, passive: true })).messageCount).toBe(0);
  const report = (await ledgerReport(env.sql)).find((r) => r.subject === "after-poison")!;
  expect(report).toMatchObject({ balance: 1, ledgerSum: 1, charged: 1, succeededCost: 1 });
});
