import { EventEmitter } from "node:events";
import { pino } from "pino";
import { ConsumerStatus, type Consumer } from "rabbitmq-client";
import { describe, expect, it } from "vitest";
import type { QueueControl } from "../../src/domain/queue-controls.js";
import { createTypeConsumers, type AdmittedDelivery } from "../../src/consumers/type-consumers.js";

/** A stand-in for rabbitmq-client's Consumer: subscribed when the test says, closed when asked. */
class FakeConsumer extends EventEmitter {
  closed = false;
  constructor(
    readonly type: string,
    readonly prefetch: number,
    readonly admit: (delivery: AdmittedDelivery) => Promise<ConsumerStatus>,
  ) {
    super();
  }
  async close() {
    this.closed = true;
  }
  subscribed() {
    this.emit("ready");
  }
}

function setup(types = ["a"]) {
  const made: FakeConsumer[] = [];
  const consumers = createTypeConsumers({
    types: types.map((name) => ({ name })),
    log: pino({ level: "silent" }),
    subscribe: (type, prefetch, admit) => {
      const consumer = new FakeConsumer(type.name, prefetch, admit);
      made.push(consumer);
      return consumer as unknown as Consumer;
    },
  });
  const apply = (entries: Record<string, QueueControl>) => consumers.apply(new Map(Object.entries(entries)));
  return { consumers, made, apply };
}

/** A delivery that runs until released, and what it settled with. */
function heldDelivery(consumer: FakeConsumer) {
  let release!: () => void;
  let started = false;
  const settled = consumer.admit(async () => {
    started = true;
    await new Promise<void>((resolve) => (release = resolve));
    return ConsumerStatus.ACK;
  });
  return { settled, release: () => release(), started: () => started };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("createTypeConsumers", () => {
  it("subscribes a type not paused with its concurrency as prefetch, and reports consuming once it subscribed", () => {
    const { consumers, made, apply } = setup(["a", "b"]);
    expect(consumers.consuming).toBe(false);
    apply({ a: { paused: false, concurrency: 3 }, b: { paused: true, concurrency: 1 } });
    expect(made.map((c) => [c.type, c.prefetch])).toEqual([["a", 3]]);
    // A paused type is no failure; a type not yet subscribed is.
    expect(consumers.consuming).toBe(false);
    made[0]!.subscribed();
    expect(consumers.consuming).toBe(true);
  });

  it("paused: closes the consumer; its running delivery settles as usual and its waiting ones go back to the queue", async () => {
    const { made, apply } = setup();
    apply({ a: { paused: false, concurrency: 1 } });
    const consumer = made[0]!;
    const running = heldDelivery(consumer);
    const waiting = heldDelivery(consumer);
    await tick();
    expect([running.started(), waiting.started()]).toEqual([true, false]);

    apply({ a: { paused: true, concurrency: 1 } });
    expect(consumer.closed).toBe(true);
    expect(await waiting.settled).toBe(ConsumerStatus.REQUEUE);
    expect(waiting.started()).toBe(false);
    running.release();
    expect(await running.settled).toBe(ConsumerStatus.ACK);
    // A delivery reaching the closed consumer before the broker confirmed the cancel is not run.
    expect(await consumer.admit(async () => ConsumerStatus.ACK)).toBe(ConsumerStatus.REQUEUE);
    expect(made).toHaveLength(1);
  });

  it("resized: a new consumer with the new prefetch, whose deliveries wait while the old one's attempts fill the new limit", async () => {
    const { made, apply } = setup();
    apply({ a: { paused: false, concurrency: 2 } });
    const old = made[0]!;
    const first = heldDelivery(old);
    const second = heldDelivery(old);
    await tick();

    apply({ a: { paused: false, concurrency: 1 } });
    expect(old.closed).toBe(true);
    const replacement = made[1]!;
    expect(replacement.prefetch).toBe(1);
    const next = heldDelivery(replacement);
    await tick();
    expect(next.started()).toBe(false);
    first.release();
    await first.settled;
    await tick();
    // Still one running (the old consumer's second): the limit is 1.
    expect(next.started()).toBe(false);
    second.release();
    await second.settled;
    await tick();
    expect(next.started()).toBe(true);
    next.release();
    expect(await next.settled).toBe(ConsumerStatus.ACK);
  });

  it("a paused type's concurrency change takes effect on resume, with no consumer meanwhile", () => {
    const { made, apply } = setup();
    apply({ a: { paused: true, concurrency: 1 } });
    apply({ a: { paused: true, concurrency: 4 } });
    expect(made).toHaveLength(0);
    apply({ a: { paused: false, concurrency: 4 } });
    expect(made.map((c) => c.prefetch)).toEqual([4]);
  });

  it("stop closes every consumer, turns waiting deliveries away and applies nothing after", async () => {
    const { consumers, made, apply } = setup();
    apply({ a: { paused: false, concurrency: 1 } });
    const running = heldDelivery(made[0]!);
    const waiting = heldDelivery(made[0]!);
    await tick();
    const stopped = consumers.stop();
    expect(await waiting.settled).toBe(ConsumerStatus.REQUEUE);
    running.release();
    await stopped;
    expect(made[0]!.closed).toBe(true);
    apply({ a: { paused: false, concurrency: 2 } });
    expect(made).toHaveLength(1);
  });
});
