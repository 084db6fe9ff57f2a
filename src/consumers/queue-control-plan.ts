import type { QueueControl } from "../domain/queue-controls.js";

/**
 * What a worker does to a type's consumer when its queue control changes:
 * - start: subscribe (resumed, or first reading of a type not paused);
 * - stop: cancel the subscription (paused); running attempts finish;
 * - restart: subscribe anew with the new prefetch and close the old
 *   subscription (concurrency changed while consuming). A consumer's
 *   prefetch is fixed when it subscribes (basic.qos applies to consumers
 *   created after it), so a new prefetch needs a new consumer.
 */
export type ConsumerChange =
  | { type: string; kind: "start"; control: QueueControl }
  | { type: string; kind: "stop"; control: QueueControl }
  | { type: string; kind: "restart"; control: QueueControl; previous: QueueControl };

/**
 * The consumer changes that take a worker from the controls it applies
 * (`applied`; a type missing from it has no consumer yet) to the ones just
 * read (`wanted`). A paused type's concurrency can change without any: it
 * applies when the type is resumed.
 */
export function planConsumerChanges(applied: ReadonlyMap<string, QueueControl>, wanted: ReadonlyMap<string, QueueControl>): ConsumerChange[] {
  const changes: ConsumerChange[] = [];
  for (const [type, control] of wanted) {
    const previous = applied.get(type);
    const consuming = previous !== undefined && !previous.paused;
    if (control.paused) {
      if (consuming) changes.push({ type, kind: "stop", control });
    } else if (!consuming) {
      changes.push({ type, kind: "start", control });
    } else if (previous.concurrency !== control.concurrency) {
      changes.push({ type, kind: "restart", control, previous });
    }
  }
  return changes;
}
