import { expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();

it("admins see queue stats and dead letters with their reasons, and can redrive them", async () => {
  await grant(t.env.sql, "dl-user", 5);
  const user = await tokenFor("dl-user");
  const admin = await tokenFor("dl-admin", { admin: true });

  const data = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: { failTimes: 9 } } }, user);
  const id = data.submitJob.job.id;
  await waitFor(async () => (await t.env.sql`select status from jobs where id = ${id}`)[0]!.status === "FAILED" || undefined);
  const broker = new Connection(t.env.vhost.url);
  await waitFor(async () => (await broker.queueDeclare({ queue: "jobs.demo.simulate.dead", passive: true })).messageCount === 1 || undefined);

  const denied = await gql(t.app.url, "{ queueStats { type } }", {}, user);
  expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

  const stats = await gqlData(t.app.url, "{ queueStats { type queued running retrying ready consumers deadLettered } }", {}, admin);
  const demo = stats.queueStats.find((s: { type: string }) => s.type === "demo.simulate");
  expect(demo).toMatchObject({ deadLettered: 1, consumers: 1, ready: 0 });

  const letters = await gqlData(t.app.url, `{ deadLetters(type: "demo.simulate") { jobId reason body } }`, {}, admin);
  expect(letters.deadLetters).toHaveLength(1);
  expect(letters.deadLetters[0].jobId).toBe(id);
  expect(letters.deadLetters[0].reason).toMatch(/failed after 3 attempts/);
  // Peeking leaves the message where it was.
  expect((await broker.queueDeclare({ queue: "jobs.demo.simulate.dead", passive: true })).messageCount).toBe(1);

  const moved = await gqlData(t.app.url, `mutation { redriveDeadLetters(type: "demo.simulate") }`, {}, admin);
  expect(moved.redriveDeadLetters).toBe(1);
  await waitFor(async () => (await broker.queueDeclare({ queue: "jobs.demo.simulate.dead", passive: true })).messageCount === 0 || undefined);
  await waitFor(async () => (await broker.queueDeclare({ queue: "jobs.demo.simulate", passive: true })).messageCount === 0 || undefined);
  // A FAILED job ignores its redriven message: it is not run or charged again.
  const [job] = await t.env.sql`select status, attempts from jobs where id = ${id}`;
  expect(job).toMatchObject({ status: "FAILED", attempts: 3 });
  await broker.close();
});
