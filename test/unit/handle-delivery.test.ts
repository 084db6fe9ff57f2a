import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { serializeJobMessage } from "../../src/broker/messages.js";
import { handleDelivery, type Delivery, type DeliveryPorts } from "../../src/consumers/handle-delivery.js";
import type { AttemptOutcome } from "../../src/consumers/run-attempt.js";
import type { JobRow } from "../../src/db/schema.js";
import type { JobError } from "../../src/domain/errors.js";
import { demoSimulate } from "../../src/jobs/types/demo-simulate.js";
import { makeJobTypeRegistry } from "../../src/jobs/index.js";
import { makeJobRow } from "../helpers/job-row.js";

const type = demoSimulate.name;
const now = Date.UTC(2030, 0, 1, 12, 0, 0);

function jobRow(overrides: Partial<JobRow> = {}): JobRow {
  const at = new Date(now - 1_000);
  return makeJobRow({ type, priority: 4, maxAttempts: demoSimulate.maxAttempts, cost: demoSimulate.cost, heartbeatAt: at, createdAt: at, startedAt: at, updatedAt: at, ...overrides });
}

interface FakeOptions {
  /** What claimJob returns; null means "not claimable". */
  claimed?: JobRow | null;
  exists?: boolean;
  /** The type of the existing row, when it differs from the message's. */
  existingType?: string;
  /** The status of the existing row (default RUNNING). */
  existingStatus?: JobRow["status"];
  /** Whether an attempt of the job runs in this process. */
  runsHere?: boolean;
  outcome?: AttemptOutcome;
  /** What scheduleRetry / failJob return: the updated row, or null when fenced out. */
  fenced?: boolean;
  /** Whether publishRetry fails (the broker away). */
  retryPublishFails?: boolean;
}

/** The outbox row the fake scheduleRetry writes for the retry. */
const retryOutboxId = 41;

/** The threshold the fake ports give for the type: its timeout plus a grace of 30 s. */
const stalledAfter = demoSimulate.timeoutMs + 30_000;

/** Ports that record every call in order, and the log lines written. */
function fakePorts(options: FakeOptions = {}) {
  const calls: { port: string; args: unknown[] }[] = [];
  const logged: { level: number; msg: string; jobId?: string; attempt?: number }[] = [];
  const record = (port: string, args: unknown[]) => calls.push({ port, args });
  const ports: DeliveryPorts = {
    registry: makeJobTypeRegistry([demoSimulate]),
    log: pino({ level: "debug" }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
    claimJob: async (...args) => (record("claimJob", args), options.claimed ?? null),
    findJob: async (...args) => (
      record("findJob", args),
      options.exists ? { type: options.existingType ?? type, status: options.existingStatus ?? "RUNNING", attempts: 1 } : null
    ),
    stalledAfterMs: (...args) => (record("stalledAfterMs", args), stalledAfter),
    runsHere: (...args) => (record("runsHere", args), options.runsHere ?? false),
    runAttempt: async (...args) => (record("runAttempt", args), options.outcome ?? { kind: "succeeded", result: null }),
    completeJob: async (...args) => (record("completeJob", args), args[0]),
    scheduleRetry: async (...args) => (record("scheduleRetry", args), options.fenced ? null : { job: { ...args[0], status: "RETRYING" as const }, outboxId: retryOutboxId }),
    failJob: async (...args) => (record("failJob", args), options.fenced ? null : { ...args[0], status: "FAILED" as const }),
    releaseJob: async (...args) => (record("releaseJob", args), args[0]),
    publishRetry: async (...args) => {
      record("publishRetry", args);
      if (options.retryPublishFails) throw new Error("connection closed");
    },
    deadLetter: async (...args) => void record("deadLetter", args),
    now: () => now,
  };
  const named = (port: string) => calls.filter((c) => c.port === port).map((c) => c.args);
  // The ports that do I/O, in order; the pure questions (threshold, runsHere) left out.
  const io = () => calls.map((c) => c.port).filter((port) => port !== "stalledAfterMs" && port !== "runsHere");
  return { ports, calls, named, logged, order: io };
}

function deliveryOf(job: JobRow, overrides: Partial<Delivery> = {}): Delivery {
  return { body: Buffer.from(serializeJobMessage({ jobId: job.id, type: job.type })), redelivered: false, queueType: type, ...overrides };
}

const writes = ["completeJob", "scheduleRetry", "failJob", "releaseJob", "publishRetry", "deadLetter"];

describe("handleDelivery", () => {
  describe("poison messages", () => {
    it.each([
      ["not JSON", Buffer.from("{not json")],
      ["missing jobId", Buffer.from(JSON.stringify({ type }))],
      ["a job id that is not a uuid", Buffer.from(JSON.stringify({ jobId: "123", type }))],
    ])("dead-letters a body that is %s with the reason, acks, and claims nothing", async (_, body) => {
      const fake = fakePorts();
      const settlement = await handleDelivery({ body, redelivered: false, queueType: type }, fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["deadLetter"]);
      const [deadType, deadBody, reason] = fake.named("deadLetter")[0]!;
      expect(deadType).toBe(type);
      expect(deadBody).toBe(body);
      expect(reason).toMatch(/^body is not (JSON|a job message)/);
    });

    it("dead-letters a message whose type is not the queue's", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: job });
      const body = serializeJobMessage({ jobId: job.id, type: "story.generate" });
      const settlement = await handleDelivery({ body, redelivered: false, queueType: type }, fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["deadLetter"]);
      expect(fake.named("deadLetter")[0]).toEqual([type, body, expect.stringContaining('"story.generate"')]);
    });

    it("dead-letters a message for a type the registry does not know, even on that type's queue", async () => {
      const fake = fakePorts();
      const body = serializeJobMessage({ jobId: randomUUID(), type: "gone.type" });
      const settlement = await handleDelivery({ body, redelivered: false, queueType: "gone.type" }, fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["deadLetter"]);
      expect(fake.named("deadLetter")[0]).toEqual(["gone.type", body, expect.stringContaining("gone.type")]);
    });
  });

  describe("claiming", () => {
    it("acks without running when the job is not claimable but exists (cancelled, finished, duplicate)", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: null, exists: true });
      const settlement = await handleDelivery(deliveryOf(job), fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "findJob"]);
      expect(fake.named("findJob")[0]).toEqual([job.id]);
    });

    it("dead-letters a message whose type disagrees with its job's row", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: null, exists: true, existingType: "story.generate" });
      const settlement = await handleDelivery(deliveryOf(job), fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "findJob", "deadLetter"]);
      expect(fake.named("deadLetter")[0]![2]).toContain('is a "story.generate" job');
    });

    it("dead-letters a message for a job that does not exist", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: null, exists: false });
      const delivery = deliveryOf(job);
      const settlement = await handleDelivery(delivery, fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "findJob", "deadLetter"]);
      expect(fake.named("deadLetter")[0]).toEqual([type, delivery.body, expect.stringContaining("does not exist")]);
      expect(fake.named("deadLetter")[0]![2]).toContain(job.id);
    });

    it("claims a first delivery without taking over", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: job });
      await handleDelivery(deliveryOf(job), fake.ports);
      expect(fake.named("claimJob")).toEqual([[job.id, job.type, null]]);
    });

    it("claims a redelivered message taking over only past the sweeper's threshold for its type", async () => {
      const job = jobRow({ attempts: 2 });
      const fake = fakePorts({ claimed: job });
      await handleDelivery(deliveryOf(job, { redelivered: true }), fake.ports);
      expect(fake.named("stalledAfterMs")).toEqual([[demoSimulate]]);
      expect(fake.named("runsHere")).toEqual([[job.id]]);
      expect(fake.named("claimJob")).toEqual([[job.id, job.type, stalledAfter]]);
      expect(fake.order()).toContain("runAttempt");
    });

    it("acks and skips a redelivery of a RUNNING job whose holder's heartbeat is fresh: no run, no write", async () => {
      const job = jobRow();
      // The claim answers null: its heartbeat is younger than the threshold, so the holder is alive.
      const fake = fakePorts({ claimed: null, exists: true, existingStatus: "RUNNING" });
      const settlement = await handleDelivery(deliveryOf(job, { redelivered: true }), fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "findJob"]);
      expect(fake.named("claimJob")).toEqual([[job.id, job.type, stalledAfter]]);
      const dropped = fake.logged.find((line) => line.msg.startsWith("redelivery of a RUNNING job dropped"));
      expect(dropped).toMatchObject({ level: 30, jobId: job.id, attempt: 1, msg: expect.stringContaining("heartbeat is fresh") });
    });

    it("never takes over from an attempt running in this process, whatever its heartbeat: acks and skips", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: null, exists: true, existingStatus: "RUNNING", runsHere: true });
      const settlement = await handleDelivery(deliveryOf(job, { redelivered: true }), fake.ports);

      expect(settlement).toBe("ack");
      // Claimed as a first delivery would be: only a job waiting to run.
      expect(fake.named("claimJob")).toEqual([[job.id, job.type, null]]);
      expect(fake.named("stalledAfterMs")).toEqual([]);
      expect(fake.order()).toEqual(["claimJob", "findJob"]);
      expect(fake.logged.find((line) => line.msg.startsWith("redelivery of a RUNNING job dropped"))).toMatchObject({
        jobId: job.id,
        msg: expect.stringContaining("runs in this worker"),
      });
    });

    it("still claims a redelivered job waiting to run while an older attempt of it runs here (the database moved it on)", async () => {
      const job = jobRow({ attempts: 2 });
      const fake = fakePorts({ claimed: job, runsHere: true });
      const settlement = await handleDelivery(deliveryOf(job, { redelivered: true }), fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.named("claimJob")).toEqual([[job.id, job.type, null]]);
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "completeJob"]);
    });

    it("skips a redelivery of a finished job quietly (debug), as any duplicate", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: null, exists: true, existingStatus: "SUCCEEDED" });
      expect(await handleDelivery(deliveryOf(job, { redelivered: true }), fake.ports)).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "findJob"]);
      expect(fake.logged.filter((line) => line.level >= 30)).toEqual([]);
    });

    it("does not consult the takeover threshold for a first delivery", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: null, exists: true, existingStatus: "RUNNING" });
      expect(await handleDelivery(deliveryOf(job), fake.ports)).toBe("ack");
      expect(fake.named("stalledAfterMs")).toEqual([]);
      expect(fake.named("claimJob")).toEqual([[job.id, job.type, null]]);
      expect(fake.logged.filter((line) => line.level >= 30)).toEqual([]);
    });

    it("fails a job taken over past its last attempt as STALLED, without running it", async () => {
      const job = jobRow({ attempts: demoSimulate.maxAttempts + 1 });
      const fake = fakePorts({ claimed: job });
      const delivery = deliveryOf(job, { redelivered: true });
      const settlement = await handleDelivery(delivery, fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "failJob", "deadLetter"]);
      const [failed, error] = fake.named("failJob")[0]! as [JobRow, JobError];
      expect(failed).toBe(job);
      expect(error).toMatchObject({ code: "STALLED", attempt: job.attempts });
      expect(fake.named("deadLetter")[0]).toEqual([type, delivery.body, expect.stringContaining(error.message)]);
    });
  });

  describe("outcomes", () => {
    it("completes a successful attempt with its result and acks", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: job, outcome: { kind: "succeeded", result: { pages: 3 } } });
      const settlement = await handleDelivery(deliveryOf(job), fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "completeJob"]);
      expect(fake.named("runAttempt")[0]).toEqual([job]);
      expect(fake.named("completeJob")[0]).toEqual([job, { pages: 3 }]);
    });

    it.each([
      [1, 100],
      [2, 200],
    ])("schedules a retry after failed attempt %i of 3, due in its tier's %i ms, then publishes it", async (attempt, delayMs) => {
      const job = jobRow({ attempts: attempt, priority: 7 });
      const error: JobError = { message: "boom", code: "HANDLER_ERROR", attempt };
      const fake = fakePorts({ claimed: job, outcome: { kind: "failed", error } });
      const settlement = await handleDelivery(deliveryOf(job), fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "scheduleRetry", "publishRetry"]);
      expect(fake.named("scheduleRetry")[0]).toEqual([job, error, new Date(now + delayMs)]);
      expect(fake.named("publishRetry")[0]).toEqual([{ jobId: job.id, type }, 7, delayMs, retryOutboxId]);
    });

    it("acks a failed attempt whose retry could not be published: its outbox row, written with the retry, stands for the message", async () => {
      const job = jobRow({ attempts: 1 });
      const fake = fakePorts({ claimed: job, retryPublishFails: true, outcome: { kind: "failed", error: { message: "boom", code: null, attempt: 1 } } });
      const settlement = await handleDelivery(deliveryOf(job), fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "scheduleRetry", "publishRetry"]);
      expect(fake.logged.some((line) => line.msg.includes("the outbox relay publishes it when due"))).toBe(true);
    });

    it("does not publish a retry the database fenced out (job cancelled meanwhile)", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: job, fenced: true, outcome: { kind: "failed", error: { message: "boom", code: null, attempt: 1 } } });
      const settlement = await handleDelivery(deliveryOf(job), fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "scheduleRetry"]);
    });

    it("fails the job and dead-letters it when the last attempt fails", async () => {
      const job = jobRow({ attempts: 3, maxAttempts: 3 });
      const error: JobError = { message: "still broken", code: "HANDLER_ERROR", attempt: 3 };
      const fake = fakePorts({ claimed: job, outcome: { kind: "failed", error } });
      const delivery = deliveryOf(job);
      const settlement = await handleDelivery(delivery, fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "failJob", "deadLetter"]);
      expect(fake.named("failJob")[0]).toEqual([job, error]);
      const [deadType, deadBody, reason] = fake.named("deadLetter")[0]!;
      expect(deadType).toBe(type);
      expect(deadBody).toBe(delivery.body);
      expect(reason).toContain("3 attempts");
      expect(reason).toContain("still broken");
    });

    it("fails a non-retryable failure at once, on its first attempt, and dead-letters it as such", async () => {
      const job = jobRow({ attempts: 1, maxAttempts: 3 });
      const error: JobError = { message: "not a video", code: "BAD_INPUT", attempt: 1, retryable: false };
      const fake = fakePorts({ claimed: job, outcome: { kind: "failed", error } });
      const delivery = deliveryOf(job);
      const settlement = await handleDelivery(delivery, fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "failJob", "deadLetter"]);
      expect(fake.named("failJob")[0]).toEqual([job, error]);
      expect(fake.named("deadLetter")[0]).toEqual([type, delivery.body, "failed on attempt 1, not retryable: not a video"]);
    });

    it("does not dead-letter a last failure the database fenced out", async () => {
      const job = jobRow({ attempts: 3, maxAttempts: 3 });
      const fake = fakePorts({ claimed: job, fenced: true, outcome: { kind: "failed", error: { message: "x", code: null, attempt: 3 } } });
      expect(await handleDelivery(deliveryOf(job), fake.ports)).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "failJob"]);
    });

    it("acks a cancelled attempt without writing anything", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: job, outcome: { kind: "cancelled" } });
      const settlement = await handleDelivery(deliveryOf(job), fake.ports);

      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt"]);
      expect(fake.order().filter((port) => writes.includes(port))).toEqual([]);
    });

    it("releases the job (with a new message) and acks the delivery when the worker shuts down", async () => {
      const job = jobRow();
      const fake = fakePorts({ claimed: job, outcome: { kind: "shutdown" } });
      const settlement = await handleDelivery(deliveryOf(job), fake.ports);

      // Not requeued: the delivery's channel may be gone, its redelivery dropped while the attempt ran.
      expect(settlement).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "releaseJob"]);
      expect(fake.named("releaseJob")[0]).toEqual([job]);
    });
  });

  it("accepts string and decoded bodies as well as Buffers", async () => {
    const job = jobRow();
    for (const body of [serializeJobMessage({ jobId: job.id, type }), { jobId: job.id, type }]) {
      const fake = fakePorts({ claimed: job });
      expect(await handleDelivery({ body, redelivered: false, queueType: type }, fake.ports)).toBe("ack");
      expect(fake.order()).toEqual(["claimJob", "runAttempt", "completeJob"]);
    }
  });
});
