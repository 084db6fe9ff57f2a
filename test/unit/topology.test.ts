import { describe, expect, it } from "vitest";
import {
  deadLetterExchange,
  deadQueueName,
  jobsExchange,
  makeTopology,
  maxPriority,
  retryQueueName,
  workQueueName,
  type QueueSpec,
} from "../../src/broker/topology.js";

function queue(queues: QueueSpec[], name: string): QueueSpec {
  const found = queues.find((q) => q.queue === name);
  if (!found) throw new Error(`no queue ${name} in ${queues.map((q) => q.queue).join(", ")}`);
  return found;
}

describe("makeTopology", () => {
  const topology = makeTopology([
    { name: "story.generate", backoffMs: [1_000, 5_000, 5_000, 60_000, 60_000] },
    { name: "demo.simulate", backoffMs: [100, 200] },
  ]);

  it("declares the jobs and dead-letter exchanges, both direct", () => {
    expect(jobsExchange).toBe("jobs");
    expect(topology.exchanges).toEqual([
      { exchange: "jobs", type: "direct" },
      { exchange: deadLetterExchange, type: "direct" },
    ]);
  });

  it("names queues after the type", () => {
    expect(workQueueName("demo.simulate")).toBe("jobs.demo.simulate");
    expect(deadQueueName("demo.simulate")).toBe("jobs.demo.simulate.dead");
    expect(retryQueueName("demo.simulate", 100)).toBe("jobs.demo.simulate.retry.100ms");
  });

  it("gives each type a priority work queue bound to `jobs` that dead-letters by type", () => {
    expect(maxPriority).toBe(9);
    for (const type of ["story.generate", "demo.simulate"]) {
      expect(queue(topology.queues, workQueueName(type))).toEqual({
        queue: `jobs.${type}`,
        arguments: {
          "x-max-priority": 9,
          "x-dead-letter-exchange": deadLetterExchange,
          "x-dead-letter-routing-key": type,
        },
        bindTo: { exchange: "jobs", routingKey: type },
      });
    }
  });

  it("binds each type's dead queue to the dead-letter exchange with the type as key", () => {
    for (const type of ["story.generate", "demo.simulate"]) {
      expect(queue(topology.queues, deadQueueName(type))).toEqual({
        queue: `jobs.${type}.dead`,
        arguments: {},
        bindTo: { exchange: deadLetterExchange, routingKey: type },
      });
    }
  });

  it("makes one retry queue per distinct backoff delay", () => {
    const retryQueues = (type: string) => topology.queues.filter((q) => q.queue.startsWith(`jobs.${type}.retry.`)).map((q) => q.queue);
    expect(retryQueues("story.generate")).toEqual([
      "jobs.story.generate.retry.1000ms",
      "jobs.story.generate.retry.5000ms",
      "jobs.story.generate.retry.60000ms",
    ]);
    expect(retryQueues("demo.simulate")).toEqual(["jobs.demo.simulate.retry.100ms", "jobs.demo.simulate.retry.200ms"]);
  });

  it("retry queues hold a message for their delay, then dead-letter it back to `jobs` under its type", () => {
    for (const [type, delays] of [
      ["story.generate", [1_000, 5_000, 60_000]],
      ["demo.simulate", [100, 200]],
    ] as const) {
      for (const delayMs of delays) {
        expect(queue(topology.queues, retryQueueName(type, delayMs))).toEqual({
          queue: `jobs.${type}.retry.${delayMs}ms`,
          arguments: {
            "x-message-ttl": delayMs,
            "x-dead-letter-exchange": "jobs",
            "x-dead-letter-routing-key": type,
          },
          // Only ever published to directly (default exchange); never bound.
          bindTo: null,
        });
      }
    }
  });

  it("declares no queue twice", () => {
    const names = topology.queues.map((q) => q.queue);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(2 * 2 + 3 + 2);
  });

  it("a type without backoff tiers has only its work and dead queues", () => {
    expect(makeTopology([{ name: "once", backoffMs: [] }]).queues.map((q) => q.queue)).toEqual(["jobs.once", "jobs.once.dead"]);
  });

  it("no types: exchanges only", () => {
    expect(makeTopology([])).toEqual({ exchanges: topology.exchanges, queues: [] });
  });

  describe("with quorum queues", () => {
    const quorum = makeTopology([{ name: "demo.simulate", backoffMs: [100, 200] }], "quorum");

    it("declares every queue as quorum, with the same names and routes", () => {
      const classic = makeTopology([{ name: "demo.simulate", backoffMs: [100, 200] }]);
      expect(quorum.queues.map((q) => [q.queue, q.bindTo])).toEqual(classic.queues.map((q) => [q.queue, q.bindTo]));
      for (const spec of quorum.queues) expect(spec.arguments["x-queue-type"]).toBe("quorum");
    });

    it("work queues: no x-max-priority (refused by quorum queues), dead-lettering at least once, no broker delivery limit", () => {
      const work = queue(quorum.queues, workQueueName("demo.simulate"));
      expect(work.arguments).not.toHaveProperty("x-max-priority");
      expect(work.arguments).toMatchObject({
        "x-dead-letter-exchange": deadLetterExchange,
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
        "x-delivery-limit": -1,
      });
    });

    it("retry tiers keep their TTL and dead-letter back to `jobs` at least once", () => {
      expect(queue(quorum.queues, retryQueueName("demo.simulate", 100)).arguments).toMatchObject({
        "x-message-ttl": 100,
        "x-dead-letter-exchange": jobsExchange,
        "x-dead-letter-strategy": "at-least-once",
      });
    });
  });
});
