import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { serializeJobMessage } from "../../src/broker/messages.js";
import { deadLetterReasonCode } from "../../src/consumers/dead-letter-reason.js";
import { JobErrorCode } from "../../src/domain/errors.js";
import { handleDelivery, type DeliveryPorts } from "../../src/consumers/handle-delivery.js";
import { demoSimulate } from "../../src/jobs/types/demo-simulate.js";
import { makeJobTypeRegistry } from "../../src/jobs/index.js";
import { makeJobRow } from "../helpers/job-row.js";

const type = demoSimulate.name;

/** The reason handleDelivery dead-letters a delivery with, from ports that know `row` (or no job) and fail every attempt. */
async function reasonFor(body: unknown, options: { queueType?: string; rowType?: string | null; attempts?: number; retryable?: false } = {}): Promise<string> {
  let reason: string | undefined;
  const row = makeJobRow({ type, attempts: options.attempts ?? 1, maxAttempts: options.attempts ?? 3 });
  const ports: DeliveryPorts = {
    registry: makeJobTypeRegistry([demoSimulate]),
    log: pino({ level: "silent" }),
    claimJob: async () => (options.rowType === undefined ? row : null),
    findJob: async () => (options.rowType ? { ...row, type: options.rowType } : null),
    stalledAfterMs: () => 60_000,
    runsHere: () => false,
    runAttempt: async () => ({ kind: "failed", error: { message: "boom", code: JobErrorCode.HANDLER_ERROR, attempt: row.attempts, ...(options.retryable === false && { retryable: false as const }) } }),
    completeJob: async () => null,
    scheduleRetry: async () => null,
    failJob: async (job) => job,
    releaseJob: async () => null,
    publishRetry: async () => {},
    deadLetter: async (_type, _body, given) => void (reason = given),
    now: Date.now,
  };
  await handleDelivery({ body, redelivered: false, queueType: options.queueType ?? type }, ports);
  expect(reason).toBeDefined();
  return reason!;
}

const message = (jobType = type, jobId: string = randomUUID()) => Buffer.from(serializeJobMessage({ jobId, type: jobType }));

describe("deadLetterReasonCode", () => {
  it.each([
    ["a body that is not JSON", () => reasonFor(Buffer.from("{not json")), "malformed"],
    ["a body that is not a job message", () => reasonFor(Buffer.from(JSON.stringify({ jobId: "123", type }))), "malformed"],
    ["a type no one registered", () => reasonFor(message("gone.type"), { queueType: "gone.type" }), "unknown_type"],
    ["a job on another type's queue", () => reasonFor(message(type), { queueType: "story.generate" }), "wrong_queue"],
    ["a job that does not exist", () => reasonFor(message(), { rowType: null }), "unknown_job"],
    ["a job whose row is of another type", () => reasonFor(message(), { rowType: "story.generate" }), "wrong_job_type"],
    ["a job whose last attempt failed", () => reasonFor(message(), { attempts: 3 }), "attempts_exhausted"],
    ["a job whose handler said retrying cannot help", () => reasonFor(message(), { retryable: false }), "not_retryable"],
  ])("codes the reason given for %s", async (_case, reason, code) => {
    expect(deadLetterReasonCode(await reason())).toBe(code);
  });

  it("keeps ids, types and error text out: a thousand poison messages make one label value each", async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 1_000; i++) codes.add(deadLetterReasonCode(`job ${randomUUID()} does not exist`));
    expect([...codes]).toEqual(["unknown_job"]);
    expect(deadLetterReasonCode(`failed after 3 attempts: ${randomUUID()}\n"quoted"`)).toBe("attempts_exhausted");
  });

  it.each(["", "something else", "job does not exist", "JOB abc does not exist"])("calls an unknown reason %j other", (reason) => {
    expect(deadLetterReasonCode(reason)).toBe("other");
  });
});
