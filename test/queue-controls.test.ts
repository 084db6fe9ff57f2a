import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { z } from "zod";
import { workQueueName } from "../src/broker/topology.js";
import { cancelJob } from "../src/db/queries/cancel-job.js";
import { noJobHints } from "../src/events/job-hints.js";
import { noWebhooks } from "../src/webhooks/routing.js";
import { maxConcurrency } from "../src/domain/queue-controls.js";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { defineTestJobType } from "./helpers/job-types.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

// The worker re-reads its queue controls this often; a change also reaches it at once by NOTIFY.
const pollMs = 200;

/**
 * A type whose attempts, with `hold: true`, run until the test releases them
 * (the worker runs in this process), and that records how many of its
 * attempts were running when each one began.
 */
function heldType(name: string, concurrency: number) {
  const held = new Map<string, () => void>();
  const starts: { jobId: string; running: number }[] = [];
  let running = 0;
  const type = defineTestJobType({
    name,
    description: "Runs until the test releases it.",
    cost: 1,
    concurrency,
    params: z.object({ hold: z.boolean().default(true) }),
    run: async ({ jobId, params, signal }) => {
      running++;
      starts.push({ jobId, running });
      try {
        if (params.hold) {
          await new Promise<void>((resolve, reject) => {
            held.set(jobId, resolve);
            signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
          });
        }
        return { done: true };
      } finally {
        held.delete(jobId);
        running--;
      }
    },
  });
  return {
    type,
    held,
    starts,
    release(jobId: string) {
      const release = held.get(jobId);
      if (!release) throw new Error(`job ${jobId} is not running here`);
      release();
    },
  };
}

const pausable = heldType("test.pausable", 1);
const resizable = heldType("test.resizable", 1);
const polled = heldType("test.polled", 1);
const purgeable = heldType("test.purgeable", 2);
const types = [pausable.type, resizable.type, polled.type, purgeable.type];

let env: TestEnvironment;
let gateway: TestApp;
let worker: TestApp;
let broker: Connection;
let adminToken: string;
const userTokens = new Map<string, string>();

beforeAll(async () => {
  env = await createTestEnvironment();
  gateway = await startTestApp(env, { overrides: { ROLE: "gateway" }, jobTypes: types });
  worker = await startTestApp(env, { overrides: { ROLE: "worker", QUEUE_CONTROLS_POLL_MS: String(pollMs) }, jobTypes: types });
  broker = new Connection(env.vhost.url);
  adminToken = await tokenFor("queue-admin", { admin: true });
  for (const subject of ["queue-user", "purge-a", "purge-b"]) {
    await grant(env.sql, subject, 20);
    userTokens.set(subject, await tokenFor(subject));
  }
});
afterAll(async () => {
  await broker?.close();
  await worker?.stop();
  await gateway?.stop();
  await env?.teardown();
});

const settingsFields = "type paused concurrency defaultConcurrency updatedAt";
const pauseMutation = `mutation ($type: String!) { pauseJobType(type: $type) { ${settingsFields} } }`;
const resumeMutation = `mutation ($type: String!) { resumeJobType(type: $type) { ${settingsFields} } }`;
const concurrencyMutation = `mutation ($type: String!, $concurrency: Int) { setJobTypeConcurrency(type: $type, concurrency: $concurrency) { ${settingsFields} } }`;
const purgeMutation = `mutation ($type: String!) { purgeJobType(type: $type) }`;
const queueStatsQuery = "{ queueStats { type queued running paused concurrency defaultConcurrency } }";

const asAdmin = (query: string, variables: Record<string, unknown>) => gqlData(gateway.url, query, variables, adminToken);

async function submit(type: string, params: Record<string, unknown> = {}, subject = "queue-user"): Promise<string> {
  const data = await gqlData(gateway.url, submitJobMutation, { input: { type, params } }, userTokens.get(subject)!);
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob.job.id;
}

/** The work queue as the broker counts it now: messages ready (not delivered) and consumers. */
async function queue(type: string): Promise<{ ready: number; consumers: number }> {
  const { messageCount, consumerCount } = await broker.queueDeclare({ queue: workQueueName(type), passive: true });
  return { ready: messageCount, consumers: consumerCount };
}

/** The prefetch of each consumer of the type's work queue, as the broker holds them now. */
async function prefetches(type: string): Promise<number[]> {
  const { stdout } = await promisify(execFile)("rabbitmqctl", ["-q", "--no-table-headers", "list_consumers", "-p", env.vhost.name, "queue_name", "prefetch_count"]);
  return stdout
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([queueName]) => queueName === workQueueName(type))
    .map(([, prefetch]) => Number(prefetch));
}

/** Deliveries not yet acked on any channel of the test's vhost. */
async function unackedInVhost(): Promise<number> {
  const { stdout } = await promisify(execFile)("rabbitmqctl", ["-q", "--no-table-headers", "list_channels", "vhost", "messages_unacknowledged"]);
  return stdout
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([vhost]) => vhost === env.vhost.name)
    .reduce((sum, [, unacked]) => sum + Number(unacked), 0);
}

async function statuses(ids: readonly string[]): Promise<string[]> {
  const rows = await env.sql<{ id: string; status: string }[]>`select id, status from jobs where id = any(${ids as string[]})`;
  const byId = new Map(rows.map((row) => [row.id, row.status]));
  return ids.map((id) => byId.get(id)!);
}

const countWith = async (type: string, status: string) =>
  (await env.sql<{ n: number }[]>`select count(*)::int as n from jobs where type = ${type} and status = ${status}`)[0]!.n;

const allSucceeded = async (ids: readonly string[]) => (await statuses(ids)).every((status) => status === "SUCCEEDED") || undefined;

/** Checks `check` for `polls` of the worker's poll intervals: a state that must hold, not one to wait for. */
async function holdsFor(polls: number, check: () => Promise<void>): Promise<void> {
  const until = Date.now() + polls * pollMs;
  do {
    await check();
    await new Promise((resolve) => setTimeout(resolve, pollMs / 4));
  } while (Date.now() < until);
}

describe("pauseJobType and resumeJobType", () => {
  it("a paused type starts no new job: running ones finish, submitted ones stay QUEUED with their messages, the worker stays ready; resumed, they run", async () => {
    const name = pausable.type.name;
    const first = await submit(name);
    await waitFor(() => pausable.held.has(first), { what: "the first job to run" });

    const paused = await asAdmin(pauseMutation, { type: name });
    expect(paused.pauseJobType).toMatchObject({ type: name, paused: true, concurrency: 1, defaultConcurrency: 1 });
    // The consumer is cancelled while its attempt still runs.
    await waitFor(async () => (await queue(name)).consumers === 0 || undefined, { what: "the worker to stop consuming" });

    const waiting = [await submit(name, { hold: false }), await submit(name, { hold: false })];
    await waitFor(async () => (await queue(name)).ready === 2 || undefined, { what: "both messages in the queue" });

    // The running attempt finishes normally and is acked: its message does not come back.
    pausable.release(first);
    await waitFor(() => allSucceeded([first]), { what: "the running job to finish" });
    await waitFor(async () => (await unackedInVhost()) === 0 || undefined, { what: "its delivery acked" });
    await holdsFor(5, async () => {
      expect(await queue(name)).toEqual({ ready: 2, consumers: 0 });
      expect(await statuses(waiting)).toEqual(["QUEUED", "QUEUED"]);
    });
    expect(pausable.starts.map((start) => start.jobId)).toEqual([first]);

    // A paused type is not a failed readiness check.
    expect((await fetch(`http://127.0.0.1:${worker.port}/readyz`)).status).toBe(200);
    const stats = (await asAdmin(queueStatsQuery, {})).queueStats.find((row: { type: string }) => row.type === name);
    expect(stats).toMatchObject({ paused: true, concurrency: 1, defaultConcurrency: 1, queued: 2, running: 0 });

    const resumed = await asAdmin(resumeMutation, { type: name });
    expect(resumed.resumeJobType).toMatchObject({ type: name, paused: false });
    await waitFor(() => allSucceeded(waiting), { what: "the queued jobs to run once resumed" });
    expect(await queue(name)).toEqual({ ready: 0, consumers: 1 });
    const attempts = await env.sql<{ attempts: number }[]>`select attempts from jobs where type = ${name}`;
    expect(attempts.map((row) => row.attempts)).toEqual([1, 1, 1]);
  });

  it("a worker applies a change it was not told of (no NOTIFY) on its next poll", async () => {
    const name = polled.type.name;
    await waitFor(async () => (await queue(name)).consumers === 1 || undefined);
    await env.sql`insert into job_type_settings (type, paused) values (${name}, true)`;
    await waitFor(async () => (await queue(name)).consumers === 0 || undefined, { what: "the poll to pause the type" });
    await env.sql`update job_type_settings set paused = false where type = ${name}`;
    await waitFor(async () => (await queue(name)).consumers === 1 || undefined, { what: "the poll to resume the type" });
  });
});

describe("setJobTypeConcurrency", () => {
  it("a running worker follows it: raised from 1 to 3, three run at once; back to the default, new jobs start one at a time once the three finish", async () => {
    const name = resizable.type.name;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await submit(name));
    await waitFor(() => resizable.held.size === 1, { what: "one job running" });
    // Prefetch 1: the other five wait in the queue, for this or another worker.
    await waitFor(async () => (await queue(name)).ready === 5 || undefined, { what: "five messages ready" });

    const raised = await asAdmin(concurrencyMutation, { type: name, concurrency: 3 });
    expect(raised.setJobTypeConcurrency).toMatchObject({ type: name, paused: false, concurrency: 3, defaultConcurrency: 1 });
    await waitFor(() => resizable.held.size === 3, { what: "three jobs running at once" });
    expect(await countWith(name, "RUNNING")).toBe(3);
    expect(resizable.starts.map((start) => start.running)).toEqual([1, 2, 3]);
    await waitFor(async () => String(await prefetches(name)) === "3" || undefined, { what: "the consumer of prefetch 3" });
    const stats = (await asAdmin(queueStatsQuery, {})).queueStats.find((row: { type: string }) => row.type === name);
    expect(stats).toMatchObject({ paused: false, concurrency: 3, defaultConcurrency: 1, running: 3 });

    const lowered = await asAdmin(concurrencyMutation, { type: name, concurrency: null });
    expect(lowered.setJobTypeConcurrency).toMatchObject({ concurrency: 1, defaultConcurrency: 1 });
    await waitFor(async () => String(await prefetches(name)) === "1" || undefined, { what: "the consumer of prefetch 1" });
    // The new consumer's one message waits for the three running attempts.
    await holdsFor(3, async () => {
      expect(resizable.held.size).toBe(3);
      expect(await countWith(name, "RUNNING")).toBe(3);
    });

    const firstThree = [...resizable.held.keys()];
    for (const id of firstThree) resizable.release(id);
    await waitFor(() => allSucceeded(firstThree), { what: "the three running jobs to finish" });
    // From here on, each job starts alone.
    for (let started = 3; started < ids.length; started++) {
      await waitFor(() => resizable.held.size === 1 && resizable.starts.length === started + 1, { what: `job ${started + 1} to start` });
      expect(await countWith(name, "RUNNING")).toBe(1);
      resizable.release([...resizable.held.keys()][0]!);
    }
    await waitFor(() => allSucceeded(ids), { what: "every job to finish" });
    expect(resizable.starts.slice(3).map((start) => start.running)).toEqual([1, 1, 1]);
    // Every message was acked once, each on the channel it came on: none is left unacked or back in the queue.
    expect(await queue(name)).toEqual({ ready: 0, consumers: 1 });
    await waitFor(async () => (await unackedInVhost()) === 0 || undefined, { what: "no delivery left unacked" });
    expect(await prefetches(name)).toEqual([1]);
    const attempts = await env.sql<{ attempts: number }[]>`select attempts from jobs where type = ${name}`;
    expect(attempts.map((row) => row.attempts)).toEqual(Array(6).fill(1));
  });

  it("refuses a concurrency out of bounds, and an unknown type, with BAD_USER_INPUT", async () => {
    for (const concurrency of [0, -1, maxConcurrency + 1]) {
      const result = await gql(gateway.url, concurrencyMutation, { type: resizable.type.name, concurrency }, adminToken);
      expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0]?.message).toContain(`from 1 to ${maxConcurrency}`);
    }
    for (const [query, extra] of [
      [pauseMutation, {}],
      [resumeMutation, {}],
      [concurrencyMutation, { concurrency: 2 }],
      [purgeMutation, {}],
    ] as const) {
      const result = await gql(gateway.url, query, { type: "no.such-type", ...extra }, adminToken);
      expect(result.errors?.[0]).toMatchObject({ message: 'unknown job type "no.such-type"', extensions: { code: "BAD_USER_INPUT" } });
    }
    const rows = await env.sql`select 1 from job_type_settings where type = 'no.such-type'`;
    expect(rows).toHaveLength(0);
  });
});

describe("purgeJobType", () => {
  it("cancels and refunds every QUEUED job of the type, answers how many, and leaves RUNNING jobs running", async () => {
    const name = purgeable.type.name;
    const running = [await submit(name, {}, "purge-a"), await submit(name, {}, "purge-a")];
    await waitFor(() => purgeable.held.size === 2, { what: "two jobs running" });
    // Paused, so that the queued ones stay QUEUED until the purge reaches them.
    await asAdmin(pauseMutation, { type: name });
    await waitFor(async () => (await queue(name)).consumers === 0 || undefined, { what: "the worker to stop consuming" });
    const queued: string[] = [];
    for (const subject of ["purge-a", "purge-b", "purge-b"]) queued.push(await submit(name, {}, subject));
    for (let i = 0; i < 3; i++) queued.push(await submit(name, {}, "purge-b"));
    await waitFor(async () => (await queue(name)).ready === queued.length || undefined, { what: "the queued jobs' messages" });

    const purged = await asAdmin(purgeMutation, { type: name });
    expect(purged.purgeJobType).toBe(queued.length);
    expect(await statuses(queued)).toEqual(queued.map(() => "CANCELLED"));
    expect(await statuses(running)).toEqual(["RUNNING", "RUNNING"]);
    expect(purgeable.held.size).toBe(2);

    // Each purged job refunded once; every balance is its ledger's sum.
    const refunds = await env.sql<{ jobId: string; n: number }[]>`
      select job_id as "jobId", count(*)::int as n from ledger_entries where kind = 'refund' and job_id = any(${queued}) group by job_id`;
    expect(refunds.map((row) => row.n).sort()).toEqual(queued.map(() => 1));
    const ledger = new Map((await ledgerReport(env.sql)).map((row) => [row.subject, row]));
    for (const row of ledger.values()) expect(row.balance, row.subject).toBe(row.ledgerSum);
    // Only the two running jobs are still charged.
    expect(ledger.get("purge-a")).toMatchObject({ balance: 18, charged: 2 });
    expect(ledger.get("purge-b")).toMatchObject({ balance: 20, charged: 0 });
    // Nothing left to purge.
    expect((await asAdmin(purgeMutation, { type: name })).purgeJobType).toBe(0);
    // A job a worker claimed between the purge's read and its cancel is left running, as these are.
    expect(await cancelJob(env.db, noJobHints, noWebhooks, running[0]!, null, { only: ["QUEUED"] })).toEqual({ kind: "invalid-state", status: "RUNNING" });

    // The broker's queue was left alone; once resumed, the cancelled jobs' messages are skipped, not run.
    expect((await queue(name)).ready).toBe(queued.length);
    for (const id of running) purgeable.release(id);
    await waitFor(() => allSucceeded(running), { what: "the running jobs to finish" });
    await asAdmin(resumeMutation, { type: name });
    await waitFor(async () => (await queue(name)).ready === 0 || undefined, { what: "the cancelled jobs' messages to be skipped" });
    expect(purgeable.starts.map((start) => start.jobId).sort()).toEqual([...running].sort());
    expect(await statuses(queued)).toEqual(queued.map(() => "CANCELLED"));
    for (const row of await ledgerReport(env.sql)) {
      expect(row.balance, row.subject).toBe(row.ledgerSum);
      expect(row.charged, row.subject).toBe(row.succeededCost);
    }
  });
});
