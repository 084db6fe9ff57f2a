import { expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { gql, gqlData, openWebSocketSubscription } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { sampleValue, scrape, type Sample } from "./helpers/prometheus-text.js";
import { submitJobMutation } from "./helpers/queries.js";
import { openSseStream } from "./helpers/sse-stream.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();

const follow = (name: string) => /* GraphQL */ `subscription ${name}($id: ID!) { jobUpdated(id: $id) { id status } }`;
const demo = "demo.simulate";

it("after a known workload, /metrics reports its jobs, operations, queues and subscriptions", async () => {
  await grant(t.env.sql, "metrics-user", 10);
  const token = await tokenFor("metrics-user");
  const metricsUrl = `http://127.0.0.1:${t.app.port}/metrics`;
  const submit = async (params: Record<string, unknown>) =>
    (await gqlData(t.app.url, submitJobMutation, { input: { type: demo, params } }, token)).submitJob.job.id as string;
  const statusOf = async (id: string) => (await t.env.sql`select status from jobs where id = ${id}`)[0]!.status as string;

  // Callers without a token send more distinct names than the label keeps: none of them takes a slot.
  for (let i = 0; i < 150; i++) await gql(t.app.url, `query Flood${i} { me { id } }`);
  expect((await gql(t.app.url, "query DashboardMe { me { id } }")).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

  // A job that runs for 50 s, followed over WebSocket and SSE: each answers its current state at once.
  const long = await submit({ steps: 2, stepMs: 25_000 });
  const ws = openWebSocketSubscription(t.app.url, token, follow("FollowWs"), { id: long });
  const sse = openSseStream(t.app.url, token, follow("FollowSse"), { id: long });
  expect((await ws.next())?.data?.jobUpdated.id).toBe(long);
  await waitFor(() => sse.payloads.length > 0, { what: "the SSE stream's first payload" });

  const succeeding = await Promise.all([1, 2, 3].map(() => submit({ steps: 2, stepMs: 5 })));
  const failing = await submit({ failTimes: 9 });
  for (let i = 0; i < 2; i++) await gqlData(t.app.url, "query Me { me { balance } }", {}, token);
  await gqlData(t.app.url, "query Types { jobTypes { name } }", {}, token);
  await gqlData(t.app.url, "{ me { id } }", {}, token);
  await gqlData(t.app.url, `query ${"Hostile".padEnd(80, "x")} { me { id } }`, {}, token);
  const refused = await gql(t.app.url, "query NoToken { me { id } }");
  expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

  // Two messages put straight into another type's dead-letter queue.
  const broker = new Connection(t.env.vhost.url);
  const channel = await broker.acquire();
  for (let i = 0; i < 2; i++) await channel.basicPublish({ routingKey: "jobs.story.generate.dead" }, "not a job");
  await channel.close();
  const deadCount = async (queue: string) => (await broker.queueDeclare({ queue, passive: true })).messageCount;

  await waitFor(async () => (await Promise.all(succeeding.map(statusOf))).every((s) => s === "SUCCEEDED"), { what: "3 jobs to succeed" });
  await waitFor(async () => (await statusOf(failing)) === "FAILED", { what: "the failing job to fail" });
  await waitFor(async () => (await deadCount("jobs.demo.simulate.dead")) === 1 && (await deadCount("jobs.story.generate.dead")) === 2, { what: "dead letters" });
  await waitFor(async () => (await statusOf(long)) === "RUNNING", { what: "the long job to run" });

  const samples = await scrape(metricsUrl);
  const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);

  expect(value("jobgw_jobs_submitted_total", { type: demo })).toBe(5);
  // Wait: one observation per job's first claim; run time: one per attempt (the failing job made 3).
  expect(value("jobgw_job_wait_seconds_count", { type: demo })).toBe(5);
  expect(value("jobgw_attempt_duration_seconds_count", { type: demo, outcome: "succeeded" })).toBe(3);
  expect(value("jobgw_attempt_duration_seconds_count", { type: demo, outcome: "failed" })).toBe(3);
  expect(value("jobgw_attempts_running", { type: demo })).toBe(1);

  const operations = (type: string, name: string, outcome = "ok") =>
    value("jobgw_graphql_operation_duration_seconds_count", { operation_type: type, operation_name: name, outcome });
  expect(operations("mutation", "Submit")).toBe(5);
  expect(operations("query", "Me")).toBe(2);
  // jobTypes asks for no token: its caller is not authenticated by the operation.
  expect(operations("query", "unauthenticated")).toBe(1);
  expect(operations("query", "anonymous")).toBe(1);
  expect(operations("query", "other")).toBe(1);
  // The 150 floods and NoToken; a name of the project's own clients keeps its label whoever sends it.
  expect(operations("query", "unauthenticated", "error")).toBe(151);
  expect(operations("query", "DashboardMe", "error")).toBe(1);
  expect(operations("subscription", "FollowWs")).toBe(1);
  expect(operations("subscription", "FollowSse")).toBe(1);
  expect(samples.some((s) => s.name.startsWith("jobgw_graphql_operation_duration") && /^(Hostile|Flood|NoToken|Types)/.test(s.labels.operation_name ?? ""))).toBe(false);

  expect(value("jobgw_subscriptions_active")).toBe(2);

  const byType = (name: string) => Object.fromEntries(samples.filter((s) => s.name === name).map((s: Sample) => [s.labels.type, s.value]));
  expect(byType("jobgw_queue_ready_messages")).toEqual({ [demo]: 0, "story.generate": 0, "slides.generate": 0, "speech.synthesize": 0, "video.transcode": 0 });
  expect(byType("jobgw_queue_dead_letters")).toEqual({ [demo]: 1, "story.generate": 2, "slides.generate": 0, "speech.synthesize": 0, "video.transcode": 0 });
  expect(byType("jobgw_queue_consumers")).toEqual({ [demo]: 1, "story.generate": 1, "slides.generate": 1, "speech.synthesize": 1, "video.transcode": 1 });

  // Closed by their clients, both subscriptions stop counting.
  await ws.close();
  sse.stop();
  await sse.ended;
  await waitFor(async () => sampleValue(await scrape(metricsUrl), "jobgw_subscriptions_active") === 0, { what: "no open subscription" });

  // The cancelled run ends as a cancelled attempt.
  await gqlData(t.app.url, "mutation Cancel($id: ID!) { cancelJob(id: $id) { __typename } }", { id: long }, token);
  const after = await waitFor(async () => {
    const now = await scrape(metricsUrl);
    return sampleValue(now, "jobgw_attempts_running", { type: demo }) === 0 && now;
  }, { what: "the long attempt to stop" });
  expect(sampleValue(after, "jobgw_attempt_duration_seconds_count", { type: demo, outcome: "cancelled" })).toBe(1);
  await broker.close();
});
