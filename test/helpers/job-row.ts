import { randomUUID } from "node:crypto";
import type { JobRow } from "../../src/db/schema.js";

/** A RUNNING job row on its first attempt, for unit tests of code that takes rows. */
export function makeJobRow(overrides: Partial<JobRow> = {}): JobRow {
  const at = new Date();
  return {
    id: randomUUID(),
    userId: randomUUID(),
    type: "demo.simulate",
    status: "RUNNING",
    priority: 0,
    params: {},
    progress: 0,
    progressMessage: null,
    attempts: 1,
    maxAttempts: 3,
    cost: 1,
    result: null,
    error: null,
    idempotencyKey: null,
    seq: 2,
    nextAttemptAt: null,
    heartbeatAt: at,
    createdAt: at,
    startedAt: at,
    finishedAt: null,
    updatedAt: at,
    ...overrides,
  };
}
