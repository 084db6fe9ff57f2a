import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { builtinJobTypes } from "../../src/jobs/builtin.js";
import { chaosWork } from "../helpers/chaos-job-type.js";
import { startBroker, stopBroker } from "../helpers/broker-control.js";
import { gqlData } from "../helpers/graphql-client.js";
import { grant, ledgerReport } from "../helpers/ledger.js";
import { startAppProcess, waitFor, type AppProcess } from "../helpers/processes.js";
import { submitJobMutation } from "../helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "../helpers/test-app.js";

let env: TestEnvironment;
let gateway: Awaited<ReturnType<typeof startTestApp>>;
const workers: AppProcess[] = [];
const killedPids = new Set<number>();
const effectsFile = join(mkdtempSync(join(tmpdir(), "jobgw-chaos-")), "effects.log");

// A fixed seed keeps a failing run reproducible.
let seed = 20261122;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

// A killed worker's jobs run again once their heartbeat is older than chaos.work's timeout
// plus the grace: seconds, not the default grace's half a minute.
const workerEnv = { ROLE: "worker", CHAOS_EFFECTS_FILE: effectsFile, HEARTBEAT_MS: "500", STALLED_GRACE_MS: "1000" };

const startWorker = async () => {
  const worker = await startAppProcess({ ...env.env, ...workerEnv }, { entry: "test/helpers/chaos-worker.ts" });
  workers.push(worker);
  return worker;
};

beforeAll(async () => {
  env = await createTestEnvironment();
  writeFileSync(effectsFile, "");
  gateway = await startTestApp(env, { overrides: { ROLE: "gateway", OUTBOX_POLL_MS: "200" }, jobTypes: [...builtinJobTypes, chaosWork] });
  await startWorker();
  await Promise.all([startWorker(), startWorker()]);
}, 90_000);

afterAll(async () => {
  await startBroker();
  for (const worker of workers) worker.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await gateway?.stop();
  await env?.teardown();
});

const countWhere = async (condition: string) =>
  (await env.sql.unsafe(`select count(*)::int as n from jobs where ${condition}`))[0]!.n as number;

it("300 jobs with random failures survive two SIGKILLed workers and a broker restart: nothing lost, nothing done or charged twice", async () => {
  const users = ["chaos-a", "chaos-b", "chaos-c", "chaos-d", "chaos-e"];
  const tokens = await Promise.all(users.map((user) => tokenFor(user)));
  for (const user of users) await grant(env.sql, user, 100);

  const submits = [];
  for (let i = 0; i < 300; i++) {
    // Most succeed on their first or a later attempt; about one in ten always fails.
    const failTimes = random() < 0.1 ? 9 : between(0, 2);
    const params = { steps: between(2, 8), stepMs: between(30, 90), failTimes };
    submits.push(gqlData(gateway.url, submitJobMutation, { input: { type: "chaos.work", params } }, tokens[i % users.length]));
  }
  for (const result of await Promise.all(submits)) expect(result.submitJob.__typename).toBe("SubmitJobSuccess");

  const finished = () => countWhere(`status in ('SUCCEEDED', 'FAILED', 'CANCELLED')`);
  await waitFor(async () => (await finished()) >= 30 || undefined, { timeoutMs: 60_000, what: "work to be under way" });
  killedPids.add(workers[0]!.child.pid!);
  workers[0]!.kill("SIGKILL");
  await startWorker();

  await waitFor(async () => (await finished()) >= 100 || undefined, { timeoutMs: 60_000, what: "a third of the jobs" });
  await stopBroker();
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // an outage has a length
  await startBroker();

  await waitFor(async () => (await finished()) >= 180 || undefined, { timeoutMs: 90_000, what: "more work after the restart" });
  killedPids.add(workers[1]!.child.pid!);
  workers[1]!.kill("SIGKILL");
  await startWorker();

  await waitFor(async () => (await countWhere(`status not in ('SUCCEEDED', 'FAILED', 'CANCELLED')`)) === 0 || undefined, {
    timeoutMs: 120_000,
    intervalMs: 200,
    what: "every job to reach a terminal status",
  }).catch(async (err: Error) => {
    // Which jobs are stuck, and whether anything still stands for their message, tells where one was lost.
    const stuck = await env.sql`
      select id, status, attempts, next_attempt_at, heartbeat_at, (select count(*)::int from outbox o where o.job_id = jobs.id) as outbox
      from jobs where status not in ('SUCCEEDED', 'FAILED', 'CANCELLED') limit 10`;
    throw new Error(`${err.message}; stuck: ${JSON.stringify(stuck)}`);
  });

  // A handler's side effect comes before its completion commits: a worker SIGKILLed between
  // the two leaves the job RUNNING, and another worker runs it again (at-least-once, as in any
  // queue). So a job may have an extra effect only from a killed worker, and exactly one from
  // the attempt its row records as the one that succeeded.
  const effects = new Map<string, { attempt: number; pid: number }[]>();
  for (const line of readFileSync(effectsFile, "utf8").split("\n").filter(Boolean)) {
    const [jobId, attempt, pid] = line.split(" ");
    effects.set(jobId!, [...(effects.get(jobId!) ?? []), { attempt: Number(attempt), pid: Number(pid) }]);
  }
  const succeeded = await env.sql<{ id: string; attempts: number }[]>`select id, attempts from jobs where status = 'SUCCEEDED'`;
  const succeededAttempt = new Map(succeeded.map((job) => [job.id, job.attempts]));
  const unexplained: string[] = [];
  for (const [jobId, list] of effects) {
    const committed = list.filter((effect) => effect.attempt === succeededAttempt.get(jobId));
    const extra = list.filter((effect) => !committed.includes(effect));
    if (committed.length > 1 || extra.some((effect) => !killedPids.has(effect.pid))) unexplained.push(`${jobId}: ${JSON.stringify(list)}`);
  }
  expect(unexplained, "side effects done twice by workers that were not killed").toEqual([]);
  for (const { id, attempts } of succeeded) {
    expect(effects.get(id)?.filter((effect) => effect.attempt === attempts), `side effect of ${id}`).toHaveLength(1);
  }
  expect(succeeded.length).toBeGreaterThan(200);

  for (const row of await ledgerReport(env.sql)) {
    expect(row.balance, row.subject).toBe(row.ledgerSum);
    expect(row.charged, row.subject).toBe(row.succeededCost);
  }
  const [{ refundedTwice }] = await env.sql<[{ refundedTwice: number }]>`
    select count(*)::int as "refundedTwice" from (
      select job_id from ledger_entries where kind = 'refund' group by job_id having count(*) > 1) t`;
  expect(refundedTwice).toBe(0);
}, 300_000);
