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

/**
 * classic: single-node queues with priorities 0..9. quorum: replicated
 * (Raft) queues for a RabbitMQ cluster; RabbitMQ 4.0+ orders them by two
 * priority levels (5..9 before 0..4), 3.x by arrival only.
 */
export type QueueType = "classic" | "quorum";

/**
 * Quorum queues count deliveries; 4.0 dead-letters a message after 20 by
 * default. A job's attempts are counted in PostgreSQL, and a message goes
 * back to its queue each time a worker dies or the database is away, so the
 * broker's count must not end it: -1 turns the limit off.
 */
const quorumArguments = (): Record<string, string | number> => ({
  "x-queue-type": "quorum",
  // Dead-lettered messages are moved, confirmed, not dropped when the target is away.
  "x-dead-letter-strategy": "at-least-once",
  "x-overflow": "reject-publish",
  "x-delivery-limit": -1,
});

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

export function makeTopology(types: readonly JobTypeTopologyInput[], queueType: QueueType = "classic"): Topology {
  const typed = (args: Record<string, string | number>) => (queueType === "quorum" ? { ...quorumArguments(), ...args } : args);
  const queues = types.flatMap((type): QueueSpec[] => [
    {
      queue: workQueueName(type.name),
      arguments: typed({
        ...(queueType === "classic" ? { "x-max-priority": maxPriority } : {}),
        "x-dead-letter-exchange": deadLetterExchange,
        "x-dead-letter-routing-key": type.name,
      }),
      bindTo: { exchange: jobsExchange, routingKey: type.name },
    },
    {
      queue: deadQueueName(type.name),
      arguments: queueType === "quorum" ? { "x-queue-type": "quorum" } : {},
      bindTo: { exchange: deadLetterExchange, routingKey: type.name },
    },
    ...[...new Set(type.backoffMs)].map(
      (delayMs): QueueSpec => ({
        queue: retryQueueName(type.name, delayMs),
        arguments: typed({
          "x-message-ttl": delayMs,
          "x-dead-letter-exchange": jobsExchange,
          "x-dead-letter-routing-key": type.name,
        }),
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
