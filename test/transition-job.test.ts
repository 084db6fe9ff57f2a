import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { cancelJob } from "../src/db/queries/cancel-job.js";
import { chargeAndCreateJob, type NewJob } from "../src/db/queries/charge-and-create-job.js";
import { claimJob, isFirstClaim } from "../src/db/queries/claim-job.js";
import { completeJob, failJob, releaseJob } from "../src/db/queries/finish-attempt.js";
import { recordHeartbeats } from "../src/db/queries/heartbeat.js";
import { rechargeJob } from "../src/db/queries/recharge-job.js";
import { recordProgress } from "../src/db/queries/record-progress.js";
import { jobEvents, jobs, ledgerEntries, outbox, users, type JobRow } from "../src/db/schema.js";
import type { JobHintSource, JobHints } from "../src/events/job-hints.js";
import { noWebhooks } from "../src/webhooks/routing.js";
import { useTestDatabase } from "./helpers/test-database.js";

const t = useTestDatabase();

const limits = { burst: 100, ratePerSecond: 100, maxUnfinishedJobs: 2 };

/** Records what writers announce, and whether the change was committed when they did. */
function recordingHints() {
  const announced: { job: JobHintSource; committed: boolean }[] = [];
  const checks: Promise<unknown>[] = [];
  const hints: JobHints = {
    announce(job) {
      const entry = { job, committed: false };
      announced.push(entry);
      // Another connection sees only committed rows; later changes may have moved seq on since.
      checks.push(t.sql`select seq from jobs where id = ${job.id}`.then(([row]) => (entry.committed = (row?.seq ?? 0) >= job.seq)));
    },
  };
  return { hints, announced, settled: () => Promise.all(checks) };
}

async function newUser(balance: number): Promise<string> {
  const [user] = await t.db.insert(users).values({ subject: `u${Math.random()}`, balance }).returning();
  return user!.id;
}

const newJob = (userId: string, overrides: Partial<NewJob> = {}): NewJob => ({
  userId,
  type: "demo.simulate",
  params: { steps: 2, nested: { b: [1, "x"], a: null } },
  priority: 3,
  cost: 1,
  maxAttempts: 2,
  idempotencyKey: null,
  ...overrides,
});

/** The row as drizzle's own `.returning()` maps it, changing nothing. */
async function drizzleRow(id: string): Promise<JobRow> {
  const [row] = await t.db.update(jobs).set({ priority: sql`${jobs.priority}` }).where(eq(jobs.id, id)).returning();
  return row!;
}

const eventsOf = (id: string) => t.db.select().from(jobEvents).where(eq(jobEvents.jobId, id)).orderBy(jobEvents.seq);

/** Makes the job's last heartbeat `ms` old by the database's clock, as a holder gone that long leaves it. */
const ageHeartbeat = (id: string, ms: number) =>
  t.db.update(jobs).set({ heartbeatAt: sql`now() - make_interval(secs => ${ms / 1000})` }).where(eq(jobs.id, id));

describe("transitionJob through its writers", () => {
  it("answers rows exactly as drizzle maps them, writes one event per change and announces after commit", async () => {
    const { hints, announced, settled } = recordingHints();
    const userId = await newUser(5);
    const created = await chargeAndCreateJob(t.db, hints, newJob(userId), limits);
    expect(created.kind).toBe("created");
    if (created.kind !== "created") return;
    expect(created.balance).toBe(4);
    const job = created.job;
    expect(job).toEqual(await drizzleRow(job.id));
    expect(job.createdAt).toBeInstanceOf(Date);
    expect(job.params).toEqual({ steps: 2, nested: { b: [1, "x"], a: null } });
    expect(job).toMatchObject({ status: "QUEUED", seq: 1, attempts: 0, progress: 0 });
    expect(await t.db.select().from(outbox).where(eq(outbox.jobId, job.id))).toHaveLength(1);
    expect(await t.db.select({ amount: ledgerEntries.amount, kind: ledgerEntries.kind }).from(ledgerEntries).where(eq(ledgerEntries.jobId, job.id))).toEqual([
      { amount: -1, kind: "charge" },
    ]);

    const claimed = await claimJob(t.db, hints, job.id, { type: "demo.simulate", takeOverAfterMs: null });
    expect(claimed).toEqual(await drizzleRow(job.id));
    expect(claimed).toMatchObject({ status: "RUNNING", seq: 2, attempts: 1 });
    expect(claimed!.startedAt).toBeInstanceOf(Date);
    expect(await claimJob(t.db, hints, job.id, { type: "demo.simulate", takeOverAfterMs: null })).toBeNull();
    expect(await claimJob(t.db, hints, job.id, { type: "other.type", takeOverAfterMs: 0 })).toBeNull();

    expect(await recordProgress(t.db, hints, [{ jobId: job.id, attempt: 2, fraction: 0.5, message: "not mine" }])).toEqual([false]);
    expect(await recordProgress(t.db, hints, [{ jobId: job.id, attempt: 1, fraction: 0.5, message: "halfway" }])).toEqual([true]);

    const done = await completeJob(t.db, hints, noWebhooks, job.id, 1, { pages: [1, 2], ok: true });
    expect(done).toEqual(await drizzleRow(job.id));
    expect(done).toMatchObject({ status: "SUCCEEDED", seq: 4, progress: 1, result: { pages: [1, 2], ok: true } });
    expect(done!.finishedAt).toBeInstanceOf(Date);
    expect(await completeJob(t.db, hints, noWebhooks, job.id, 1, null)).toBeNull();

    const events = await eventsOf(job.id);
    expect(events.map((e) => [e.seq, e.status, e.progress, e.message])).toEqual([
      [1, "QUEUED", 0, null],
      [2, "RUNNING", 0, null],
      [3, "RUNNING", 0.5, "halfway"],
      [4, "SUCCEEDED", 1, "halfway"],
    ]);
    expect(events.at(-1)!.at).toEqual(done!.updatedAt);

    await settled();
    expect(announced.map((a) => [a.job.seq, a.job.status])).toEqual([
      [1, "QUEUED"],
      [2, "RUNNING"],
      [3, "RUNNING"],
      [4, "SUCCEEDED"],
    ]);
    expect(announced.every((a) => a.committed)).toBe(true);
  });

  it("writes the progress of many jobs in one statement, each fenced by its own attempt, each with its event", async () => {
    const { hints, announced, settled } = recordingHints();
    const userId = await newUser(5);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await chargeAndCreateJob(t.db, hints, newJob(userId, { idempotencyKey: null }), { ...limits, maxUnfinishedJobs: 10 });
      if (created.kind !== "created") throw new Error(created.kind);
      await claimJob(t.db, hints, created.job.id, { type: "demo.simulate", takeOverAfterMs: null });
      ids.push(created.job.id);
    }
    const written = await recordProgress(t.db, hints, [
      { jobId: ids[0]!, attempt: 1, fraction: 0.25, message: "a quarter" },
      { jobId: ids[1]!, attempt: 7, fraction: 0.5, message: "a stale attempt" },
      { jobId: ids[2]!, attempt: 1, fraction: 0.75, message: null },
    ]);
    expect(written).toEqual([true, false, true]);
    const lastEvent = async (id: string) => (await eventsOf(id)).map((e) => [e.seq, e.status, e.progress, e.message]).at(-1);
    expect(await lastEvent(ids[0]!)).toEqual([3, "RUNNING", 0.25, "a quarter"]);
    expect(await lastEvent(ids[1]!)).toEqual([2, "RUNNING", 0, null]);
    expect(await lastEvent(ids[2]!)).toEqual([3, "RUNNING", 0.75, null]);
    expect(await drizzleRow(ids[0]!)).toMatchObject({ seq: 3, progress: 0.25, progressMessage: "a quarter" });
    await settled();
    expect(announced.filter((a) => a.job.seq === 3).map((a) => a.job.id).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it("numbers a second attempt in its claim event and hands a job back without spending the attempt", async () => {
    const { hints } = recordingHints();
    const userId = await newUser(5);
    const created = await chargeAndCreateJob(t.db, hints, newJob(userId), limits);
    const id = created.kind === "created" ? created.job.id : "";
    await claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: null });
    await ageHeartbeat(id, 3_600_000);
    const taken = await claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: 60_000 });
    expect(taken).toMatchObject({ status: "RUNNING", attempts: 2 });
    expect(await releaseJob(t.db, hints, id, 1)).toBeNull();
    const released = await releaseJob(t.db, hints, id, 2);
    expect(released).toMatchObject({ status: "QUEUED", attempts: 1, progress: 0 });
    const events = await eventsOf(id);
    expect(events.map((e) => e.message)).toEqual([null, null, "attempt 2 of 2", "handed back: worker shutting down"]);
  });

  it("forgets when a handed-back first attempt began, so the next claim starts the job anew (and is not its first claim)", async () => {
    const { hints } = recordingHints();
    const userId = await newUser(5);
    const created = await chargeAndCreateJob(t.db, hints, newJob(userId), limits);
    const id = created.kind === "created" ? created.job.id : "";
    const first = await claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: null });
    expect(first).toMatchObject({ attempts: 1, startedAt: expect.any(Date) });
    expect(isFirstClaim(first!)).toBe(true);
    const released = await releaseJob(t.db, hints, id, 1);
    expect(released).toMatchObject({ status: "QUEUED", attempts: 0, startedAt: null });
    const again = await claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: null });
    // Set by this claim, from the same now() as its updated_at.
    expect(again).toMatchObject({ attempts: 1, startedAt: again!.updatedAt });
    expect(isFirstClaim(again!)).toBe(false);
    // Handing back a later attempt keeps the first attempt's start.
    await ageHeartbeat(id, 3_600_000);
    const taken = await claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: 60_000 });
    expect(isFirstClaim(taken!)).toBe(false);
    expect(await releaseJob(t.db, hints, id, 2)).toMatchObject({ attempts: 1, startedAt: again!.startedAt });
  });

  it("fails and refunds once; cancels with a refund; recharges a failed job", async () => {
    const { hints } = recordingHints();
    const userId = await newUser(3);
    const created = await chargeAndCreateJob(t.db, hints, newJob(userId, { cost: 2 }), limits);
    const id = created.kind === "created" ? created.job.id : "";
    await claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: null });
    const error = { message: "boom", code: "HANDLER_ERROR", attempt: 1 } as const;
    const failed = await failJob(t.db, hints, noWebhooks, id, 1, error);
    expect(failed).toEqual(await drizzleRow(id));
    expect(failed).toMatchObject({ status: "FAILED", error });
    expect(await failJob(t.db, hints, noWebhooks, id, 1, error)).toBeNull();
    const [user] = await t.db.select({ balance: users.balance }).from(users).where(eq(users.id, userId));
    expect(user!.balance).toBe(3);

    const retried = await rechargeJob(t.db, hints, id, userId, { attemptsPerRun: () => 2, maxPriority: () => 9, limits });
    expect(retried).toMatchObject({ kind: "queued", balance: 1, job: { status: "QUEUED", maxAttempts: 3, error: null, result: null } });
    if (retried.kind === "queued") expect(retried.job).toEqual(await drizzleRow(id));
    expect(await t.db.select().from(outbox).where(eq(outbox.jobId, id))).toHaveLength(2);

    const cancelled = await cancelJob(t.db, hints, noWebhooks, id, userId);
    expect(cancelled).toMatchObject({ kind: "cancelled", balance: 3, job: { status: "CANCELLED" } });
    expect(await cancelJob(t.db, hints, noWebhooks, id, userId)).toEqual({ kind: "invalid-state", status: "CANCELLED" });
    expect(await cancelJob(t.db, hints, noWebhooks, id, await newUser(0))).toEqual({ kind: "not-found" });
    const events = await eventsOf(id);
    expect(events.map((e) => [e.status, e.message])).toEqual([
      ["QUEUED", null],
      ["RUNNING", null],
      ["FAILED", "boom"],
      ["QUEUED", "retried"],
      ["CANCELLED", "cancelled"],
    ]);
  });

  it("refuses at the unfinished-jobs cap and rolls the charge back, for submit and retry alike", async () => {
    const { hints, announced, settled } = recordingHints();
    const userId = await newUser(10);
    const first = await chargeAndCreateJob(t.db, hints, newJob(userId), limits);
    const cancelled = first.kind === "created" ? (await cancelJob(t.db, hints, noWebhooks, first.job.id, userId)).kind : "";
    expect(cancelled).toBe("cancelled");
    for (let i = 0; i < 2; i++) expect((await chargeAndCreateJob(t.db, hints, newJob(userId), limits)).kind).toBe("created");
    const refused = await chargeAndCreateJob(t.db, hints, newJob(userId), limits);
    expect(refused).toEqual({ kind: "refused", refusal: expect.objectContaining({ kind: "too-many-unfinished" }) });
    const retry = await rechargeJob(t.db, hints, first.kind === "created" ? first.job.id : "", null, {
      attemptsPerRun: () => 1,
      maxPriority: () => 9,
      limits,
    });
    expect(retry).toMatchObject({ kind: "refused", refusal: { kind: "too-many-unfinished" }, cost: 1 });
    const [user] = await t.db.select({ balance: users.balance }).from(users).where(eq(users.id, userId));
    expect(user!.balance).toBe(8);
    const charges = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId));
    expect(charges.filter((c) => c.kind === "charge")).toHaveLength(3);
    await settled();
    expect(announced.map((a) => a.job.status)).toEqual(["QUEUED", "CANCELLED", "QUEUED", "QUEUED"]);
  });

  it("answers a reused idempotency key with its job, charging once", async () => {
    const { hints } = recordingHints();
    const userId = await newUser(5);
    const first = await chargeAndCreateJob(t.db, hints, newJob(userId, { idempotencyKey: "k1" }), limits);
    const again = await chargeAndCreateJob(t.db, hints, newJob(userId, { idempotencyKey: "k1" }), limits);
    expect(first.kind).toBe("created");
    expect(again).toMatchObject({ kind: "existing", balance: 4 });
    if (first.kind === "created" && again.kind === "existing") expect(again.job).toEqual(first.job);
    const other = await chargeAndCreateJob(t.db, hints, newJob(userId, { idempotencyKey: "k1", params: { steps: 3 } }), limits);
    expect(other.kind).toBe("key-reused");
  });
});

describe("recordHeartbeats", () => {
  it("answers the held attempts that no longer hold their job", async () => {
    const { hints } = recordingHints();
    const userId = await newUser(5);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await chargeAndCreateJob(t.db, hints, newJob(userId), limits);
      if (created.kind === "created") ids.push(created.job.id);
      await claimJob(t.db, hints, ids[i]!, { type: "demo.simulate", takeOverAfterMs: null });
    }
    await cancelJob(t.db, hints, noWebhooks, ids[1]!, null);
    const lost = await recordHeartbeats(t.db, [
      { jobId: ids[0]!, attempt: 1 },
      { jobId: ids[0]!, attempt: 7 },
      { jobId: ids[1]!, attempt: 1 },
    ]);
    expect(lost).toEqual([
      { jobId: ids[0], attempt: 7 },
      { jobId: ids[1], attempt: 1 },
    ]);
    expect(await recordHeartbeats(t.db, [])).toEqual([]);
  });
});

describe("claimJob's takeover of a redelivered job", () => {
  async function runningJob(hints: JobHints): Promise<string> {
    const created = await chargeAndCreateJob(t.db, hints, newJob(await newUser(5), { maxAttempts: 5 }), limits);
    const id = created.kind === "created" ? created.job.id : "";
    expect(await claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: null })).toMatchObject({ status: "RUNNING", attempts: 1 });
    return id;
  }

  it("takes over a RUNNING job only once its heartbeat is older than the threshold, by the database's clock", async () => {
    const { hints, announced } = recordingHints();
    const id = await runningJob(hints);
    const takeOver = () => claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: 60_000 });

    // Fresh (the claim's own now()), then younger than the threshold: the holder is alive.
    expect(await takeOver()).toBeNull();
    await ageHeartbeat(id, 59_000);
    expect(await takeOver()).toBeNull();
    expect((await eventsOf(id)).map((e) => e.seq)).toEqual([1, 2]);
    const announcedBefore = announced.length;

    await ageHeartbeat(id, 61_000);
    const taken = await takeOver();
    expect(taken).toMatchObject({ status: "RUNNING", attempts: 2, seq: 3, progress: 0 });
    expect(announced).toHaveLength(announcedBefore + 1);
    // The takeover's heartbeat is its own, fresh: a second redelivery right after finds it alive.
    const [fresh] = await t.db.execute<{ age: number }>(sql`select extract(epoch from now() - heartbeat_at)::float8 as age from jobs where id = ${id}`);
    expect(fresh!.age).toBeLessThan(5);
    expect(await takeOver()).toBeNull();
    expect((await eventsOf(id)).map((e) => [e.seq, e.status, e.message])).toEqual([
      [1, "QUEUED", null],
      [2, "RUNNING", null],
      [3, "RUNNING", "attempt 2 of 5"],
    ]);
  });

  it("lets one of two redeliveries racing for a stale job take it, never both", async () => {
    const { hints } = recordingHints();
    const id = await runningJob(hints);
    await ageHeartbeat(id, 3_600_000);
    const results = await Promise.all([1, 2, 3].map(() => claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: 60_000 })));
    expect(results.filter((r) => r !== null)).toEqual([expect.objectContaining({ attempts: 2 })]);
    expect(await drizzleRow(id)).toMatchObject({ attempts: 2, seq: 3 });
  });

  it("claims a job waiting to run whatever its heartbeat, and never one that is finished", async () => {
    const { hints } = recordingHints();
    const id = await runningJob(hints);
    // Handed back: QUEUED with the heartbeat its last attempt left, fresh.
    await releaseJob(t.db, hints, id, 1);
    expect(await claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: 60_000 })).toMatchObject({ status: "RUNNING", attempts: 1 });
    expect(await completeJob(t.db, hints, noWebhooks, id, 1, "done")).toMatchObject({ status: "SUCCEEDED" });
    await ageHeartbeat(id, 3_600_000);
    expect(await claimJob(t.db, hints, id, { type: "demo.simulate", takeOverAfterMs: 60_000 })).toBeNull();
  });
});
