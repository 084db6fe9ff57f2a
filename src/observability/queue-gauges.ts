import { Gauge, type Registry } from "prom-client";
import { createCachedReading } from "./cached-reading.js";

export interface QueueDepthReading {
  ready: number;
  consumers: number;
  deadLettered: number;
}

export interface QueueGaugeDeps {
  types: readonly string[];
  /** One type's queue depths from the broker. */
  queueDepth(type: string): Promise<QueueDepthReading>;
  /** Whether the broker connection is up now: while it is not, nothing is asked. */
  connected(): boolean;
  /** How long a reading is reused across scrapes. Default 5000. */
  maxAgeMs?: number;
  /** How long a scrape waits for the broker. Default 1000. */
  timeoutMs?: number;
}

/**
 * Gauges of each job type's RabbitMQ queues, read when /metrics is scraped
 * (a passive declare per queue: the broker's own counts, the same from every
 * process, so aggregate them with max, not sum). A type whose queues cannot
 * be read (the broker is down or slow) has no sample in that scrape rather
 * than a stale one; a scrape never waits more than `timeoutMs` for them.
 */
export function registerQueueGauges(registry: Registry, deps: QueueGaugeDeps) {
  const reading = createCachedReading(
    async () => {
      if (!deps.connected()) throw new Error("broker not connected");
      const settled = await Promise.allSettled(deps.types.map(async (type) => [type, await deps.queueDepth(type)] as const));
      return new Map(settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : [])));
    },
    { maxAgeMs: deps.maxAgeMs ?? 5_000, timeoutMs: deps.timeoutMs ?? 1_000 },
  );

  const gaugeOf = (name: string, help: string, pick: (depth: QueueDepthReading) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["type"] as const,
      registers: [registry],
      async collect() {
        const depths = await reading.get();
        this.reset();
        for (const [type, depth] of depths ?? []) this.set({ type }, pick(depth));
      },
    });

  return {
    ready: gaugeOf("jobgw_queue_ready_messages", "Messages waiting in a job type's work queue (RabbitMQ), read at scrape time", (d) => d.ready),
    deadLettered: gaugeOf("jobgw_queue_dead_letters", "Messages in a job type's dead-letter queue (RabbitMQ), read at scrape time", (d) => d.deadLettered),
    consumers: gaugeOf("jobgw_queue_consumers", "Consumers on a job type's work queue (one per worker process), read at scrape time", (d) => d.consumers),
  };
}
