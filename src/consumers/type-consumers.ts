import type { Logger } from "pino";
import { ConsumerStatus, type Consumer } from "rabbitmq-client";
import type { QueueControl } from "../domain/queue-controls.js";
import { createDeliverySlots, type DeliverySlots } from "./delivery-slots.js";
import { planConsumerChanges, type ConsumerChange } from "./queue-control-plan.js";

/** Runs one delivery once it holds a slot, and says how to settle it. */
export type AdmittedDelivery = () => Promise<ConsumerStatus>;

export interface TypeConsumersDeps<T extends { name: string }> {
  /** The types this worker serves. */
  types: readonly T[];
  /**
   * Subscribes to a type's queue with `prefetchCount`; every delivery goes
   * through `admit`, which runs it once it holds one of the type's slots or
   * settles it REQUEUE when its consumer was retired meanwhile. The consumer
   * must leave its own `concurrency` unset (see `retire`).
   */
  subscribe(type: T, prefetchCount: number, admit: (delivery: AdmittedDelivery) => Promise<ConsumerStatus>): Consumer;
  log: Logger;
}

interface Lane<T> {
  type: T;
  /** What this lane applies now; undefined before the first reading. */
  control: QueueControl | undefined;
  /** The consumer taking deliveries; null while paused (or before the first reading). */
  consumer: Consumer | null;
  /** Whether `consumer` has subscribed. */
  subscribed: boolean;
  /** Stands for `consumer` among the slots' waiting deliveries; replaced with it. */
  generation: object;
  slots: DeliverySlots;
}

/**
 * One consumer per job type, paused, resumed and resized at run time by the
 * queue controls (domain/queue-controls.ts) handed to `apply`.
 *
 * A retired consumer (paused, or replaced by one with another prefetch)
 * cancels its subscription at once and closes its channel only once its
 * running deliveries have settled: each is acked on the channel it came on,
 * as the broker requires (rabbitmq-client's Consumer.close() drains so).
 */
export function createTypeConsumers<T extends { name: string }>(deps: TypeConsumersDeps<T>) {
  const lanes = new Map<string, Lane<T>>(
    deps.types.map((type) => [type.name, { type, control: undefined, consumer: null, subscribed: false, generation: {}, slots: createDeliverySlots(1) }]),
  );
  const closing = new Set<Promise<void>>();
  let stopped = false;

  const subscribe = (lane: Lane<T>, concurrency: number) => {
    const generation = {};
    const admit = async (delivery: AdmittedDelivery): Promise<ConsumerStatus> => {
      // Arrived after its consumer was retired (before the broker confirmed the cancel): not ours to run.
      if (lane.generation !== generation || stopped) return ConsumerStatus.REQUEUE;
      if (!(await lane.slots.acquire(generation))) return ConsumerStatus.REQUEUE;
      try {
        return await delivery();
      } finally {
        lane.slots.release();
      }
    };
    const consumer = deps.subscribe(lane.type, concurrency, admit);
    consumer.on("ready", () => {
      if (lane.consumer === consumer) lane.subscribed = true;
    });
    lane.generation = generation;
    lane.consumer = consumer;
    lane.subscribed = false;
  };

  const retire = (lane: Lane<T>) => {
    const { consumer, generation } = lane;
    lane.consumer = null;
    lane.subscribed = false;
    lane.generation = {};
    if (!consumer) return;
    // Consumer.close() drops the messages it buffered without handing them back: they would wait
    // unacked until its channel closes, after its longest running attempt. So consumers buffer
    // nothing (no `concurrency` of their own: every delivery reaches `admit` at once) and the
    // slots do the limiting; the deliveries waiting there are turned away to the queue now.
    const closed = consumer.close().catch((err: Error) => deps.log.warn({ err: err.message, type: lane.type.name }, "closing a consumer failed"));
    lane.slots.turnAway(generation);
    closing.add(closed);
    void closed.finally(() => closing.delete(closed));
  };

  const applyChange = (lane: Lane<T>, change: ConsumerChange) => {
    const type = lane.type.name;
    switch (change.kind) {
      case "start":
        lane.slots.setLimit(change.control.concurrency);
        subscribe(lane, change.control.concurrency);
        if (lane.control) deps.log.info({ type, concurrency: change.control.concurrency }, "job type resumed: consuming again");
        break;
      case "stop":
        retire(lane);
        deps.log.info({ type }, "job type paused: no new deliveries; running attempts finish");
        break;
      case "restart":
        // The old consumer's running attempts count against the new limit until they finish.
        retire(lane);
        lane.slots.setLimit(change.control.concurrency);
        subscribe(lane, change.control.concurrency);
        deps.log.info({ type, from: change.previous.concurrency, to: change.control.concurrency }, "job type concurrency changed");
        break;
    }
  };

  return {
    /** Brings every type's consumer to `controls` (a type missing from it keeps what it has). */
    apply(controls: ReadonlyMap<string, QueueControl>) {
      if (stopped) return;
      const applied = new Map<string, QueueControl>();
      const wanted = new Map<string, QueueControl>();
      for (const [name, lane] of lanes) {
        const control = controls.get(name);
        if (!control) continue;
        wanted.set(name, control);
        if (lane.control) applied.set(name, lane.control);
      }
      for (const change of planConsumerChanges(applied, wanted)) applyChange(lanes.get(change.type)!, change);
      for (const [name, control] of wanted) {
        const lane = lanes.get(name)!;
        if (!lane.control && control.paused) deps.log.info({ type: name }, "job type paused: not consuming it until resumed");
        lane.control = control;
      }
    },
    /** Every type has its controls applied, and each one not paused has subscribed. */
    get consuming(): boolean {
      return [...lanes.values()].every((lane) => lane.control !== undefined && (lane.control.paused || lane.subscribed));
    },
    /** What each type applies now (for logs and tests). */
    controls(): Map<string, QueueControl | undefined> {
      return new Map([...lanes].map(([name, lane]) => [name, lane.control]));
    },
    /** Retires every consumer; resolves once each has settled its running deliveries and closed. */
    async stop(): Promise<void> {
      stopped = true;
      for (const lane of lanes.values()) retire(lane);
      for (const lane of lanes.values()) lane.slots.turnAway();
      await Promise.all([...closing]);
    },
  };
}

export type TypeConsumers<T extends { name: string }> = ReturnType<typeof createTypeConsumers<T>>;
