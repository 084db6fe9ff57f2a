import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cancelJob } from "../src/db/queries/cancel-job.js";
import { chargeAndCreateJob } from "../src/db/queries/charge-and-create-job.js";
import { claimJob } from "../src/db/queries/claim-job.js";
import { completeJob, failJob } from "../src/db/queries/finish-attempt.js";
import { rechargeJob } from "../src/db/queries/recharge-job.js";
import { requeueStalledJobs } from "../src/db/queries/requeue-stalled-jobs.js";
import { jobs, users, webhookDeliveries, type JobRow } from "../src/db/schema.js";
import { JobErrorCode } from "../src/domain/errors.js";
import { noJobHints } from "../src/events/job-hints.js";
import { makeWebhookRouting, noWebhooks } from "../src/webhooks/routing.js";
import { useTestDatabase } from "./helpers/test-database.js";

// The deliveries the terminal transitions write, read straight from the table: one per
// endpoint of the event, in the transition's own statement or transaction, with the job
// as that transition left it.
const t = useTestDatabase();

const everything = { url: "http://app.example/hooks", events: ["job.succeeded", "job.failed", "job.cancelled"] as const, secret: "whsec_x" };
const failuresOnly = { url: "http://ops.example/alerts", events: ["job.failed"] as const, secret: "whsec_y" };
const routing = makeWebhookRouting([everything, failuresOnly]);

const limits = { burst: 100, ratePerSecond: 100, maxUnfinishedJobs: 100 };

async function runningJob(subject: string, cost = 2, maxAttempts = 1): Promise<JobRow> {
  const [user] = await t.db.insert(users).values({ subject, balance: 10 }).returning();
  const created = await chargeAndCreateJob(
    t.db,
    noJobHints,
    { userId: user!.id, type: "demo.simulate", params: {}, priority: 0, cost, maxAttempts, idempotencyKey: null },
    limits,
  );
  if (created.kind !== "created") throw new Error(`not created: ${created.kind}`);
  return (await claimJob(t.db, noJobHints, created.job.id, { type: "demo.simulate", takeOverAfterMs: null }))!;
}

const deliveriesOf = (jobId: string) =>
  t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.jobId, jobId)).orderBy(asc(webhookDeliveries.endpoint));

const jobRow = async (id: string) => (await t.db.select().from(jobs).where(eq(jobs.id, id)))[0]!;

describe("deliveries written with the terminal transition", () => {
  it("completeJob: job.succeeded to each endpoint that asked for it, the payload the job as it finished", async () => {
    const job = await runningJob("w-succeeds");
    const done = await completeJob(t.db, noJobHints, routing, job.id, job.attempts, { pages: [1, 2] });
    expect(done).toMatchObject({ status: "SUCCEEDED" });
    const deliveries = await deliveriesOf(job.id);
    expect(deliveries.map((d) => [d.endpoint, d.event, d.status, d.attempts])).toEqual([[everything.url, "job.succeeded", "pending", 0]]);
    const finished = await jobRow(job.id);
    expect(deliveries[0]!.payload).toEqual({
      type: "job.succeeded",
      timestamp: finished.finishedAt!.toISOString(),
      data: {
        id: job.id,
        type: "demo.simulate",
        status: "SUCCEEDED",
        result: { pages: [1, 2] },
        owner: { id: job.userId, subject: "w-succeeds" },
        cost: 2,
        refunded: 0,
        attempts: 1,
        createdAt: job.createdAt.toISOString(),
        finishedAt: finished.finishedAt!.toISOString(),
      },
    });
    expect(deliveries[0]!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
  });

  it("a transition fenced out writes none; a job finished again writes none again", async () => {
    const job = await runningJob("w-fenced");
    expect(await completeJob(t.db, noJobHints, routing, job.id, job.attempts + 1, null)).toBeNull();
    expect(await deliveriesOf(job.id)).toEqual([]);
    await completeJob(t.db, noJobHints, routing, job.id, job.attempts, null);
    expect(await completeJob(t.db, noJobHints, routing, job.id, job.attempts, null)).toBeNull();
    expect(await cancelJob(t.db, noJobHints, routing, job.id, null)).toMatchObject({ kind: "invalid-state" });
    expect((await deliveriesOf(job.id)).map((d) => d.event)).toEqual(["job.succeeded"]);
  });

  it("without an endpoint for the event, nothing is written", async () => {
    const job = await runningJob("w-unrouted");
    await completeJob(t.db, noJobHints, makeWebhookRouting([failuresOnly]), job.id, job.attempts, "ok");
    const other = await runningJob("w-no-hooks");
    await failJob(t.db, noJobHints, noWebhooks, other.id, other.attempts, { message: "no", code: null, attempt: 1 });
    expect(await deliveriesOf(job.id)).toEqual([]);
    expect(await deliveriesOf(other.id)).toEqual([]);
  });

  it("failJob: job.failed to both endpoints, with the error and the refund", async () => {
    const job = await runningJob("w-fails");
    const error = { message: "boom", code: JobErrorCode.HANDLER_ERROR, attempt: 1 };
    await failJob(t.db, noJobHints, routing, job.id, job.attempts, error);
    const deliveries = await deliveriesOf(job.id);
    expect(deliveries.map((d) => [d.endpoint, d.event])).toEqual([
      [everything.url, "job.failed"],
      [failuresOnly.url, "job.failed"],
    ]);
    expect(deliveries[0]!.id).not.toBe(deliveries[1]!.id);
    expect(deliveries[0]!.payload).toEqual(deliveries[1]!.payload);
    expect(deliveries[0]!.payload).toMatchObject({ type: "job.failed", data: { status: "FAILED", error, cost: 2, refunded: 2, attempts: 1 } });
    expect((deliveries[0]!.payload as { data: object }).data).not.toHaveProperty("result");
  });

  it("cancelJob: job.cancelled with the refund, whether the job ran or not; a job cost nothing refunds 0", async () => {
    const running = await runningJob("w-cancels");
    expect(await cancelJob(t.db, noJobHints, routing, running.id, running.userId)).toMatchObject({ kind: "cancelled" });
    const [cancelled] = await deliveriesOf(running.id);
    expect(cancelled).toMatchObject({ endpoint: everything.url, event: "job.cancelled" });
    expect(cancelled!.payload).toMatchObject({ type: "job.cancelled", data: { status: "CANCELLED", error: null, refunded: 2, attempts: 1 } });

    const free = await runningJob("w-free", 0);
    await cancelJob(t.db, noJobHints, routing, free.id, null);
    expect((await deliveriesOf(free.id))[0]!.payload).toMatchObject({ data: { cost: 0, refunded: 0 } });
  });

  it("a job retried after a cancel tells each run apart: the refund is the latest charge's", async () => {
    const job = await runningJob("w-retried");
    await cancelJob(t.db, noJobHints, routing, job.id, null);
    const again = await rechargeJob(t.db, noJobHints, job.id, null, { attemptsPerRun: () => 1, maxPriority: () => 9, limits });
    expect(again.kind).toBe("queued");
    const claimed = (await claimJob(t.db, noJobHints, job.id, { type: "demo.simulate", takeOverAfterMs: null }))!;
    await completeJob(t.db, noJobHints, routing, job.id, claimed.attempts, "second run");
    const payloads = (await deliveriesOf(job.id)).map((d) => d.payload as { type: string; data: { refunded: number; attempts: number } });
    expect(payloads.map((p) => [p.type, p.data.refunded, p.data.attempts]).sort()).toEqual([
      ["job.cancelled", 2, 1],
      ["job.succeeded", 0, 2],
    ]);
  });

  it("the stalled-job sweeper's last attempt: job.failed in its transaction", async () => {
    const job = await runningJob("w-stalled");
    await t.db.update(jobs).set({ heartbeatAt: sql`now() - interval '1 hour'` }).where(eq(jobs.id, job.id));
    const swept = await requeueStalledJobs(t.db, noJobHints, routing, "demo.simulate", 60_000);
    expect(swept.map((j) => [j.id, j.status])).toContainEqual([job.id, "FAILED"]);
    const deliveries = await deliveriesOf(job.id);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]!.payload).toMatchObject({ type: "job.failed", data: { refunded: 2, error: { code: JobErrorCode.STALLED } } });
  });
});
