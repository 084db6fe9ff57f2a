import { expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { deadQueueName, retryQueueName, workQueueName } from "../src/broker/topology.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

// RABBITMQ_QUEUE_TYPE=quorum, as for a RabbitMQ cluster: a single node runs quorum queues too.
const t = useTestApp({ overrides: { RABBITMQ_QUEUE_TYPE: "quorum" } });

async function submit(subject: string, params: Record<string, unknown>, priority = 0): Promise<string> {
  const data = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params, priority } }, await tokenFor(subject));
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob.job.id;
}

const statusOf = async (id: string) => (await t.env.sql`select status from jobs where id = ${id}`)[0]!.status as string;

it("declares the work, retry and dead-letter queues as quorum queues", async () => {
  const broker = new Connection(t.env.vhost.url);
  try {
    for (const queue of [workQueueName("demo.simulate"), retryQueueName("demo.simulate", 100), deadQueueName("demo.simulate")]) {
      // Declaring again with classic arguments is refused when the queue is a quorum queue.
      await expect(broker.queueDeclare({ queue, durable: true, arguments: { "x-queue-type": "classic" } })).rejects.toThrow(/PRECONDITION_FAILED/);
    }
  } finally {
    await broker.close();
  }
});

it("runs jobs through them: a priority submit, a retry through a TTL tier, a failure dead-lettered", async () => {
  await grant(t.env.sql, "quorum", 10);
  const plain = await submit("quorum", { steps: 1, stepMs: 5, result: "ok" }, 3);
  const retried = await submit("quorum", { steps: 1, stepMs: 5, failTimes: 1 });
  const failed = await submit("quorum", { failTimes: 5 });
  await waitFor(async () => ((await statusOf(plain)) === "SUCCEEDED" && (await statusOf(retried)) === "SUCCEEDED" && (await statusOf(failed)) === "FAILED") || undefined, {
    timeoutMs: 15_000,
    what: "the jobs to finish",
  });
  const [retriedRow] = await t.env.sql`select attempts from jobs where id = ${retried}`;
  expect(retriedRow!.attempts).toBe(2);

  const broker = new Connection(t.env.vhost.url);
  try {
    await waitFor(async () => (await broker.queueDeclare({ queue: deadQueueName("demo.simulate"), passive: true })).messageCount === 1 || undefined, {
      timeoutMs: 5_000,
      what: "the dead letter",
    });
  } finally {
    await broker.close();
  }
});
