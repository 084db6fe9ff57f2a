import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { demoSimulate } from "../../src/jobs/types/demo-simulate.js";
import { makeJobTypeRegistry } from "../../src/jobs/index.js";
import { countedQueuePositions } from "../../src/db/queries/read-jobs.js";
import { createQueueDepths, type QueueDepthReading } from "../../src/observability/queue-depths.js";
import type { GraphQLContext } from "../../src/schema/context.js";
import { estimatedStartOf, queuePositionOf } from "../../src/schema/start-estimates.js";
import { makeJobRow } from "../helpers/job-row.js";

const dialect = new PgDialect();

/** A context whose database and broker answer a fixed queue and count what they are asked. */
function fakeContext(
  queued: { id: string; position: number }[],
  broker: { queueDepth?: () => Promise<QueueDepthReading>; connected?: () => boolean; timeoutMs?: number } = {},
) {
  const statements: string[] = [];
  let brokerCalls = 0;
  const measuredAt = Date.parse("2026-01-01T00:00:00Z");
  const db = {
    async execute(query: SQL) {
      const text = dialect.sqlToQuery(query).sql;
      statements.push(text);
      if (text.includes("row_number()")) return queued;
      if (text.includes("status = 'RUNNING'")) return [{ type: "demo.simulate", running: true, elapsed_ms: 250, measured_at_ms: measuredAt }];
      if (text.includes("avg(")) return [{ mean_ms: 1_000 }];
      throw new Error(`unexpected statement: ${text}`);
    },
  };
  const queueDepths = createQueueDepths({
    types: ["demo.simulate"],
    queueDepth: () => {
      brokerCalls++;
      return broker.queueDepth?.() ?? Promise.resolve({ ready: queued.length, consumers: 1, deadLettered: 0 });
    },
    connected: broker.connected ?? (() => true),
    timeoutMs: broker.timeoutMs,
  });
  const registry = makeJobTypeRegistry([{ ...demoSimulate, concurrency: 1 }]);
  const context = () => ({ db, queueDepths, registry }) as unknown as GraphQLContext;
  return { context, statements, brokerCalls: () => brokerCalls };
}

describe("a page of queued jobs", () => {
  const page = Array.from({ length: 100 }, () => makeJobRow({ status: "QUEUED", startedAt: null }));
  const queued = page.map((job, i) => ({ id: job.id, position: i + 1 }));

  it("reads positions, running attempts and the type's run times once for the page, and the broker once", async () => {
    const fake = fakeContext(queued);
    const ctx = fake.context();
    // As GraphQL resolves a list: every job's fields asked for in the same tick.
    const [positions, estimates] = await Promise.all([
      Promise.all(page.map((job) => queuePositionOf(ctx, job))),
      Promise.all(page.map((job) => estimatedStartOf(ctx, job))),
    ]);
    expect(positions).toEqual(queued.map((q) => q.position));
    // One slot, D = 1 s, the running attempt 250 ms in: job k starts 750 ms + (k - 1) s after the same instant.
    const first = estimates[0]!.getTime();
    expect(estimates.map((at) => at!.getTime() - first)).toEqual(queued.map((q) => (q.position - 1) * 1_000));
    expect(fake.brokerCalls()).toBe(1);
    const kinds = fake.statements.map((text) => (text.includes("row_number()") ? "positions" : text.includes("avg(") ? "run times" : "running"));
    expect(kinds.filter((kind) => kind === "run times")).toHaveLength(1);
    expect(kinds.filter((kind) => kind === "running")).toHaveLength(1);
    expect(kinds.filter((kind) => kind === "positions")).toHaveLength(1);

    // The next request, within the few seconds the type's inputs are kept, asks neither history nor broker again.
    fake.statements.length = 0;
    const next = fake.context();
    await Promise.all(page.map((job) => estimatedStartOf(next, job)));
    expect(fake.brokerCalls()).toBe(1);
    expect(fake.statements.filter((text) => text.includes("avg("))).toHaveLength(0);
    expect(fake.statements).toHaveLength(2);
  });

  it("answers null within the broker timeout while the broker does not answer, positions all the same", async () => {
    const fake = fakeContext(queued, { queueDepth: () => new Promise(() => {}), timeoutMs: 50 });
    const ctx = fake.context();
    const startedAt = performance.now();
    const [positions, estimates] = await Promise.all([
      Promise.all(page.map((job) => queuePositionOf(ctx, job))),
      Promise.all(page.map((job) => estimatedStartOf(ctx, job))),
    ]);
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    expect(estimates.every((at) => at === null)).toBe(true);
    expect(positions).toEqual(queued.map((q) => q.position));
    // The unanswered read is not repeated for the next request.
    await estimatedStartOf(fake.context(), page[0]!);
    expect(fake.brokerCalls()).toBe(1);
  });

  it("answers null at once, asking nothing, while the broker is disconnected", async () => {
    const fake = fakeContext(queued, { connected: () => false, queueDepth: () => new Promise(() => {}), timeoutMs: 60_000 });
    const startedAt = performance.now();
    expect(await estimatedStartOf(fake.context(), page[0]!)).toBeNull();
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    expect(fake.brokerCalls()).toBe(0);
  });

  it("gives no estimate to a job past the counted positions", async () => {
    const [counted, beyond] = [makeJobRow({ status: "QUEUED" }), makeJobRow({ status: "QUEUED" })];
    const fake = fakeContext([
      { id: counted.id, position: countedQueuePositions },
      { id: beyond.id, position: countedQueuePositions + 1 },
    ]);
    const ctx = fake.context();
    const [countedAt, beyondAt] = await Promise.all([estimatedStartOf(ctx, counted), estimatedStartOf(ctx, beyond)]);
    expect(countedAt).toBeInstanceOf(Date);
    expect(beyondAt).toBeNull();
  });

  it("answers null for jobs that are not QUEUED, reading nothing", async () => {
    const fake = fakeContext(queued);
    const ctx = fake.context();
    for (const status of ["RUNNING", "RETRYING", "SUCCEEDED", "FAILED", "CANCELLED"] as const) {
      const job = makeJobRow({ status });
      expect(await queuePositionOf(ctx, job)).toBeNull();
      expect(await estimatedStartOf(ctx, job)).toBeNull();
    }
    expect(fake.statements).toEqual([]);
  });
});
