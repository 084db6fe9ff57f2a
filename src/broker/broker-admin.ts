import type { Connection } from "rabbitmq-client";
import { serializeJobMessage, parseJobMessage } from "./messages.js";
import { deadQueueName, jobsExchange, workQueueName } from "./topology.js";

export interface QueueDepth {
  ready: number;
  consumers: number;
  deadLettered: number;
}

export interface DeadLetter {
  body: string;
  reason: string | null;
  jobId: string | null;
}

/** What operators ask of the broker: queue depths, dead letters, redrive. */
export function createBrokerAdmin(connection: Connection) {
  async function depth(queue: string) {
    const ok = await connection.queueDeclare({ queue, passive: true });
    return { messages: ok.messageCount, consumers: ok.consumerCount };
  }

  return {
    async queueDepth(type: string): Promise<QueueDepth> {
      const [work, dead] = await Promise.all([depth(workQueueName(type)), depth(deadQueueName(type))]);
      return { ready: work.messages, consumers: work.consumers, deadLettered: dead.messages };
    },

    /**
     * Reads up to `limit` dead letters without removing them: each is taken
     * and returned to the queue in one channel, so the order is kept.
     */
    async peekDeadLetters(type: string, limit: number): Promise<DeadLetter[]> {
      const channel = await connection.acquire();
      try {
        const letters: DeadLetter[] = [];
        for (let i = 0; i < limit; i++) {
          const msg = await channel.basicGet({ queue: deadQueueName(type) });
          if (!msg) break;
          const body = Buffer.isBuffer(msg.body) ? msg.body.toString("utf8") : typeof msg.body === "string" ? msg.body : JSON.stringify(msg.body);
          const parsed = parseJobMessage(body);
          letters.push({ body, reason: headerString(msg.headers?.["x-reason"]), jobId: parsed.ok ? parsed.message.jobId : null });
        }
        return letters;
      } finally {
        // Closing the channel returns every message it got, unacked, to the queue.
        await channel.close();
      }
    },

    /**
     * Moves dead letters that are job messages back to the work queue;
     * returns how many. Jobs that are finished skip the message when it
     * arrives, so a redrive never runs a job twice.
     */
    async redriveDeadLetters(type: string, limit: number, priorityOf: (jobId: string) => Promise<number | null>): Promise<number> {
      const channel = await connection.acquire();
      try {
        await channel.confirmSelect();
        let moved = 0;
        for (let i = 0; i < limit; i++) {
          const msg = await channel.basicGet({ queue: deadQueueName(type) });
          if (!msg) break;
          const parsed = parseJobMessage(msg.body);
          const priority = parsed.ok ? await priorityOf(parsed.message.jobId) : null;
          // Left unacked: closing the channel returns it in place, and the next get moves on.
          if (!parsed.ok || priority === null) continue;
          await channel.basicPublish(
            { exchange: jobsExchange, routingKey: type, durable: true, priority, contentType: "application/json" },
            serializeJobMessage(parsed.message),
          );
          channel.basicAck({ deliveryTag: msg.deliveryTag });
          moved++;
        }
        return moved;
      } finally {
        await channel.close();
      }
    },
  };
}

function headerString(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  return null;
}

export type BrokerAdmin = ReturnType<typeof createBrokerAdmin>;
