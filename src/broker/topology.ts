/**
 * Names and arguments of everything declared on RabbitMQ, as data.
 *
 *   publish ──▶ [jobs] ──type──▶ jobs.<type> ──consumer
 *                  ▲                 │ nack(requeue=false) / given up
 *                  │                 ▼
 *   jobs.<type>.retry.<ms> (TTL)   [jobs.dead-letter] ──type──▶ jobs.<type>.dead
 *
 * A failed attempt is republished to the retry queue of its backoff tier; the
 * queue's fixed TTL dead-letters it back to `jobs` when due. One queue per
 * delay means no message waits behind a longer one.
 */
export const jobsExchange = "jobs";
export const deadLetterExchange = "jobs.dead-letter";

/** Priorities run 0..9; a larger x-max-priority only costs memory. */
export const maxPriority = 9;

export interface JobTypeTopologyInput {
  name: string;
  backoffMs: readonly number[];
}

export interface QueueSpec {
  queue: string;
  arguments: Record<string, string | number>;
  bindTo: { exchange: string; routingKey: string } | null;
}

export interface Topology {
  exchanges: { exchange: string; type: "direct" }[];
  queues: QueueSpec[];
}

export const workQueueName = (type: string) => `jobs.${type}`;
export const deadQueueName = (type: string) => `jobs.${type}.dead`;
export const retryQueueName = (type: string, delayMs: number) => `jobs.${type}.retry.${delayMs}ms`;

export function makeTopology(types: readonly JobTypeTopologyInput[]): Topology {
  const queues = types.flatMap((type): QueueSpec[] => [
    {
      queue: workQueueName(type.name),
      arguments: {
        "x-max-priority": maxPriority,
        "x-dead-letter-exchange": deadLetterExchange,
        "x-dead-letter-routing-key": type.name,
      },
      bindTo: { exchange: jobsExchange, routingKey: type.name },
    },
    { queue: deadQueueName(type.name), arguments: {}, bindTo: { exchange: deadLetterExchange, routingKey: type.name } },
    ...[...new Set(type.backoffMs)].map(
      (delayMs): QueueSpec => ({
        queue: retryQueueName(type.name, delayMs),
        arguments: {
          "x-message-ttl": delayMs,
          "x-dead-letter-exchange": jobsExchange,
          "x-dead-letter-routing-key": type.name,
        },
        bindTo: null,
      }),
    ),
  ]);
  return {
    exchanges: [
      { exchange: jobsExchange, type: "direct" },
      { exchange: deadLetterExchange, type: "direct" },
    ],
    queues,
  };
}
