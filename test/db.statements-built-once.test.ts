import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eq } from "drizzle-orm";
import { createDb } from "../src/db/client.js";
import { chargeAndCreateJob, chargeAndCreateJobs, type NewJob } from "../src/db/queries/charge-and-create-job.js";
import { claimJob } from "../src/db/queries/claim-job.js";
import { completeJob, failJob, releaseJob, scheduleRetry } from "../src/db/queries/finish-attempt.js";
import { recordHeartbeats } from "../src/db/queries/heartbeat.js";
import { deleteOutboxEntriesOfJobs, deleteOutboxEntry } from "../src/db/queries/outbox.js";
import { listJobEventsAfterEach } from "../src/db/queries/read-job-events-batch.js";
import { findJobsByIds } from "../src/db/queries/read-jobs.js";
import { recordProgress } from "../src/db/queries/record-progress.js";
import { ledgerEntries, outbox, users, webhookDeliveries } from "../src/db/schema.js";
import type { JobHints } from "../src/events/job-hints.js";
import { makeWebhookRouting } from "../src/webhooks/routing.js";
import { createTestDatabase } from "./helpers/services.js";

// The hot paths' statements are built once (src/db/statement.ts): their text is the same whatever
// a call's values, lists included, and they still run unnamed when prepared statements are off.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase(inject("templateDatabase"));
});
afterAll(() => database?.drop());

const hints: JobHints = { announce: () => {} };
const limits = { burst: 1000, ratePerSecond: 1000, maxUnfinishedJobs: 100 };
const webhooks = makeWebhookRouting([
  { url: "http://127.0.0.1:9/a", events: ["job.succeeded", "job.failed"], secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
  { url: "http://127.0.0.1:9/b", events: ["job.succeeded"], secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
]);

/** One connection, so that pg_prepared_statements lists every statement the writers prepared. */
function connect(preparedStatements: boolean) {
  return createDb(database.url, { max: 1, preparedStatements });
}

type Db = ReturnType<typeof connect>["db"];

const newJob = (userId: string, i: number): NewJob => ({ userId, type: "demo.simulate", params: { i }, priority: 1, cost: 1, maxAttempts: 3, idempotencyKey: `k${i}` });

/** `count` jobs of a new user: one submitted alone, the others in a batch. */
async function submitMany(db: Db, userId: string, count: number): Promise<string[]> {
  const job = (i: number) => newJob(userId, i);
  const ids: string[] = [];
  const first = await chargeAndCreateJob(db, hints, job(0), limits);
  if (first.kind !== "created") throw new Error(first.kind);
  ids.push(first.job.id);
  for (const outcome of await chargeAndCreateJobs(db, hints, Array.from({ length: count - 1 }, (_, i) => job(i + 1)), limits)) {
    if (outcome.kind !== "created") throw new Error(outcome.kind);
    ids.push(outcome.job.id);
  }
  return ids;
}

/** Every hot path once or more, lists of one and of many. */
async function exercise(db: Db) {
  const [user] = await db.insert(users).values({ subject: `u${Math.random()}`, balance: 100 }).returning();
  const ids = await submitMany(db, user!.id, 4);
  expect(await chargeAndCreateJob(db, hints, newJob(user!.id, 0), limits)).toMatchObject({ kind: "existing", balance: 96 });
  for (const id of ids) expect(await claimJob(db, hints, id, { type: "demo.simulate", takeOverAfterMs: null })).toMatchObject({ attempts: 1 });
  expect(await claimJob(db, hints, ids[0]!, { type: "demo.simulate", takeOverAfterMs: 60_000 })).toBeNull();
  expect(await recordProgress(db, hints, [{ jobId: ids[0]!, attempt: 1, fraction: 0.5, message: 'a "quoted", \\ message' }])).toEqual([true]);
  expect(await recordProgress(db, hints, ids.map((jobId, i) => ({ jobId, attempt: i === 3 ? 9 : 1, fraction: 0.75, message: i === 1 ? null : `step ${i}` })))).toEqual([true, true, true, false]);
  expect(await recordHeartbeats(db, [{ jobId: ids[0]!, attempt: 1 }])).toEqual([]);
  expect(await recordHeartbeats(db, ids.map((jobId) => ({ jobId, attempt: 1 })).concat([{ jobId: ids[1]!, attempt: 2 }]))).toEqual([{ jobId: ids[1]!, attempt: 2 }]);
  const pages = await listJobEventsAfterEach(db, ids.map((jobId) => ({ jobId, after: 1 })), 10);
  expect(pages.map((page) => page.map((event) => event.message))).toEqual([[null, 'a "quoted", \\ message', "step 0"], [null, null], [null, "step 2"], [null]]);
  expect((await listJobEventsAfterEach(db, [{ jobId: ids[0]!, after: 3 }], 1))[0]!.map((event) => event.seq)).toEqual([4]);
  expect((await findJobsByIds(db, ids)).map((job) => job.id).sort()).toEqual([...ids].sort());
  await deleteOutboxEntriesOfJobs(db, [ids[0]!]);
  await deleteOutboxEntriesOfJobs(db, ids);
  expect(await db.select().from(outbox)).toEqual([]);

  expect(await completeJob(db, hints, webhooks, ids[0]!, 1, { ok: true })).toMatchObject({ status: "SUCCEEDED", result: { ok: true } });
  expect(await completeJob(db, hints, makeWebhookRouting([]), ids[1]!, 1, undefined)).toMatchObject({ status: "SUCCEEDED", result: null });
  const error = { message: "no", code: "X", attempt: 1 };
  const dueAt = new Date(Date.now() + 1000);
  const retrying = await scheduleRetry(db, hints, ids[2]!, 1, error, dueAt);
  expect(retrying?.job).toMatchObject({ status: "RETRYING", error, nextAttemptAt: dueAt });
  // The retry's outbox row, due when the attempt is: a submit's confirm does not delete it, its own does.
  expect(await db.select({ id: outbox.id, availableAt: outbox.availableAt }).from(outbox)).toEqual([{ id: retrying!.outboxId, availableAt: dueAt }]);
  await deleteOutboxEntriesOfJobs(db, [ids[2]!]);
  expect(await db.select().from(outbox)).toHaveLength(1);
  await deleteOutboxEntry(db, retrying!.outboxId);
  expect(await db.select().from(outbox)).toEqual([]);
  expect(await failJob(db, hints, webhooks, ids[3]!, 1, error)).toMatchObject({ status: "FAILED", error });
  expect(await releaseJob(db, hints, ids[3]!, 1)).toBeNull();
  const deliveries = await db.select({ event: webhookDeliveries.event, endpoint: webhookDeliveries.endpoint }).from(webhookDeliveries);
  expect(deliveries.map((d) => `${d.event} ${d.endpoint}`).sort()).toEqual(["job.failed http://127.0.0.1:9/a", "job.succeeded http://127.0.0.1:9/a", "job.succeeded http://127.0.0.1:9/b"]);
  const refunds = await db.select({ amount: ledgerEntries.amount, kind: ledgerEntries.kind }).from(ledgerEntries).where(eq(ledgerEntries.jobId, ids[3]!));
  expect(refunds.map((entry) => `${entry.kind} ${entry.amount}`)).toEqual(["charge -1", "refund 1"]);
  expect((await db.select({ balance: users.balance }).from(users).where(eq(users.id, user!.id)))[0]).toEqual({ balance: 97 });
  await db.delete(webhookDeliveries);
}

describe("the hot paths' statements", () => {
  it("are one text each whatever the number of jobs in a call, prepared once on a connection", async () => {
    const { db, sql, close } = connect(true);
    try {
      await exercise(db);
      await exercise(db);
      const prepared = (await sql<{ statement: string }[]>`select statement from pg_prepared_statements`).map((row) => row.statement);
      const named = (fragment: string) => prepared.filter((text) => text.includes(fragment));
      expect(named("heartbeat_at = now() from locked")).toHaveLength(1);
      expect(named("as r(job_id, attempt, fraction, message)")).toHaveLength(1);
      expect(named("with ordinality as w(job_id, after, i)")).toHaveLength(1);
      expect(named(`delete from "outbox"`)).toHaveLength(2); // a confirmed submit's entries, a confirmed retry's entry
      expect(named(`insert into "webhook_deliveries"`)).toHaveLength(2); // job.succeeded in the transition's statement, job.failed after the refund
      expect(named(`insert into "jobs"`)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it("run unnamed when prepared statements are off (PgBouncer in transaction mode)", async () => {
    const { db, sql, close } = connect(false);
    try {
      await exercise(db);
      expect(await sql`select statement from pg_prepared_statements`).toEqual([]);
    } finally {
      await close();
    }
  });
});
