import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { demoSimulate } from "../../src/jobs/demo-simulate.js";
import { makeJobTypeRegistry } from "../../src/jobs/index.js";
import type { GraphQLContext } from "../../src/schema/context.js";
import { estimatedStartOf, queuePositionOf } from "../../src/schema/start-estimates.js";
import { makeJobRow } from "../helpers/job-row.js";

const dialect = new PgDialect();

/** A context whose database and broker answer a fixed queue and count what they are asked. */
function fakeContext(queued: { id: string; position: number }[]) {
  const statements: string[] = [];
  let brokerCalls = 0;
  const db = {
    async execute(query: SQL) {
      const text = dialect.sqlToQuery(query).sql;
      statements.push(text);
      if (text.includes("row_number()")) return queued;
      if (text.includes("status = 'RUNNING'")) return [{ type: "demo.simulate", elapsed_ms: 250 }];
      if (text.includes("avg(")) return [{ mean_ms: 1_000 }];
      throw new Error(`unexpected statement: ${text}`);
    },
  };
  const brokerAdmin = {
    async queueDepth() {
      brokerCalls++;
      return { ready: queued.length, consumers: 1, deadLettered: 0 };
    },
  };
  const registry = makeJobTypeRegistry([{ ...demoSimulate, concurrency: 1 }]);
  const context = () => ({ db, brokerAdmin, registry }) as unknown as GraphQLContext;
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
