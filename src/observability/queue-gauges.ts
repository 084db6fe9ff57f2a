import { Gauge, type Registry } from "prom-client";
import type { QueueDepthReading, QueueDepths } from "./queue-depths.js";

/**
 * Gauges of each job type's RabbitMQ queues, read when /metrics is scraped
 * through the process's shared queue depths (queue-depths.ts: a passive
 * declare per queue, the broker's own counts, the same from every process,
 * so aggregate them with max, not sum). A type whose queues cannot be read
 * (the broker is down or slow) has no sample in that scrape rather than a
 * stale one; a scrape never waits longer than the depths' timeout for them.
 */
export function registerQueueGauges(registry: Registry, depths: QueueDepths) {
  const read = () => Promise.all(depths.types.map(async (type) => [type, await depths.get(type)] as const));

  const gaugeOf = (name: string, help: string, pick: (depth: QueueDepthReading) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["type"] as const,
      registers: [registry],
      async collect() {
        const readings = await read();
        this.reset();
        for (const [type, depth] of readings) if (depth) this.set({ type }, pick(depth));
      },
    });

  return {
    ready: gaugeOf("jobgw_queue_ready_messages", "Messages waiting in a job type's work queue (RabbitMQ), read at scrape time", (d) => d.ready),
    deadLettered: gaugeOf("jobgw_queue_dead_letters", "Messages in a job type's dead-letter queue (RabbitMQ), read at scrape time", (d) => d.deadLettered),
    consumers: gaugeOf("jobgw_queue_consumers", "Consumers on a job type's work queue (one per worker process), read at scrape time", (d) => d.consumers),
  };
}
