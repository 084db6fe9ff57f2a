import type { Connection, Envelope } from "rabbitmq-client";
import { serializeJobMessage, type JobMessage } from "./messages.js";
import { deadLetterExchange, jobsExchange, retryQueueName } from "./topology.js";

export class UnroutableMessageError extends Error {
  constructor(routingKey: string) {
    super(`RabbitMQ could not route a message with routing key "${routingKey}": is the topology declared?`);
    this.name = "UnroutableMessageError";
  }
}

/**
 * Confirmed, persistent, mandatory publishes. A confirm alone does not mean
 * the message was routed (an unroutable one is confirmed too), so returns are
 * matched by message id and turn the publish into an error.
 */
export function createJobPublisher(connection: Connection) {
  const returned = new Set<string>();
  const publisher = connection.createPublisher({ confirm: true, maxAttempts: 1 });
  // The publisher emits returns as an event (rabbitmq-client 5 ignores the `onReturn` option its types declare).
  publisher.on("basic.return", (msg) => {
    if (msg.messageId) returned.add(msg.messageId);
  });

  async function send(envelope: Envelope, body: string): Promise<void> {
    const messageId = crypto.randomUUID();
    await publisher.send({ ...envelope, messageId, durable: true, mandatory: true, contentType: "application/json" }, body);
    // RabbitMQ sends a basic.return before its confirm, but the client emits the return in a
    // setImmediate while the confirm resolves at once: one turn of the event loop lets it land.
    await new Promise((resolve) => setImmediate(resolve));
    if (returned.delete(messageId)) throw new UnroutableMessageError(envelope.routingKey ?? "");
  }

  return {
    get ready() {
      return connection.ready;
    },
    /** Publishes a job to its work queue. */
    publishJob(message: JobMessage, priority: number): Promise<void> {
      return send({ exchange: jobsExchange, routingKey: message.type, priority }, serializeJobMessage(message));
    },
    /** Parks a job in the retry queue of a backoff tier; it comes back when the tier's TTL expires. */
    publishRetry(message: JobMessage, priority: number, delayMs: number): Promise<void> {
      // No delay means no retry queue (none is declared for 0): straight back to work.
      if (delayMs <= 0) return send({ exchange: jobsExchange, routingKey: message.type, priority }, serializeJobMessage(message));
      return send({ exchange: "", routingKey: retryQueueName(message.type, delayMs), priority }, serializeJobMessage(message));
    },
    /** Sends a body to the dead-letter queue of a type with the reason in headers. */
    publishDeadLetter(type: string, body: Buffer | string, reason: string, headers: Record<string, unknown> = {}): Promise<void> {
      return send({ exchange: deadLetterExchange, routingKey: type, headers: { ...headers, "x-reason": reason } }, body as string);
    },
    close: () => publisher.close(),
  };
}

export type JobPublisher = ReturnType<typeof createJobPublisher>;
