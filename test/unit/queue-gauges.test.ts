import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createQueueDepths } from "../../src/observability/queue-depths.js";
import { registerQueueGauges } from "../../src/observability/queue-gauges.js";
import { parsePrometheusText, sampleValue } from "../helpers/prometheus-text.js";

const depth = { ready: 3, consumers: 1, deadLettered: 2 };

async function scrape(registry: Registry) {
  return parsePrometheusText(await registry.metrics());
}

describe("registerQueueGauges", () => {
  it("reports each type's ready messages, dead letters and consumers", async () => {
    const registry = new Registry();
    registerQueueGauges(registry, createQueueDepths({ types: ["a", "b"], queueDepth: async (type) => (type === "a" ? depth : { ready: 0, consumers: 2, deadLettered: 0 }), connected: () => true }));
    const samples = await scrape(registry);
    expect(sampleValue(samples, "jobgw_queue_ready_messages", { type: "a" })).toBe(3);
    expect(sampleValue(samples, "jobgw_queue_dead_letters", { type: "a" })).toBe(2);
    expect(sampleValue(samples, "jobgw_queue_consumers", { type: "b" })).toBe(2);
  });

  it("leaves out a type whose queues cannot be read, and keeps the others", async () => {
    const registry = new Registry();
    registerQueueGauges(registry, createQueueDepths({
      types: ["a", "gone"],
      queueDepth: async (type) => {
        if (type === "gone") throw new Error("NOT_FOUND - no queue");
        return depth;
      },
      connected: () => true,
    }));
    const samples = await scrape(registry);
    expect(sampleValue(samples, "jobgw_queue_ready_messages", { type: "a" })).toBe(3);
    expect(sampleValue(samples, "jobgw_queue_ready_messages", { type: "gone" })).toBeUndefined();
  });

  it("answers a scrape within its timeout, without queue samples, while the broker hangs", async () => {
    const registry = new Registry();
    registerQueueGauges(registry, createQueueDepths({ types: ["a"], queueDepth: () => new Promise(() => {}), connected: () => true, timeoutMs: 50 }));
    const startedAt = performance.now();
    const samples = await scrape(registry);
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    expect(samples.filter((s) => s.name.startsWith("jobgw_queue_"))).toEqual([]);
  });

  it("does not ask a disconnected broker, and drops the last values rather than repeat them", async () => {
    const registry = new Registry();
    let connected = true;
    let asked = 0;
    registerQueueGauges(registry, createQueueDepths({
      types: ["a"],
      queueDepth: async () => (asked++, depth),
      connected: () => connected,
      maxAgeMs: 0,
    }));
    expect(sampleValue(await scrape(registry), "jobgw_queue_ready_messages", { type: "a" })).toBe(3);
    connected = false;
    const samples = await scrape(registry);
    expect(sampleValue(samples, "jobgw_queue_ready_messages", { type: "a" })).toBeUndefined();
    expect(asked).toBe(1);
  });
});
