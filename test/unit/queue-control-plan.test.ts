import { describe, expect, it } from "vitest";
import { planConsumerChanges } from "../../src/consumers/queue-control-plan.js";
import { concurrencyProblem, effectiveQueueControls, maxConcurrency, type QueueControl } from "../../src/domain/queue-controls.js";

const controls = (entries: Record<string, QueueControl>) => new Map(Object.entries(entries));
const on = (concurrency: number): QueueControl => ({ paused: false, concurrency });
const paused = (concurrency: number): QueueControl => ({ paused: true, concurrency });

describe("planConsumerChanges", () => {
  it("on the first reading starts every type not paused, and nothing for a paused one", () => {
    expect(planConsumerChanges(new Map(), controls({ a: on(2), b: paused(1) }))).toEqual([{ type: "a", kind: "start", control: on(2) }]);
  });

  it("changes nothing when nothing changed", () => {
    const same = controls({ a: on(2), b: paused(1) });
    expect(planConsumerChanges(same, controls({ a: on(2), b: paused(1) }))).toEqual([]);
  });

  it("stops a type that was paused and starts one that was resumed, with the concurrency read", () => {
    expect(planConsumerChanges(controls({ a: on(1), b: paused(1) }), controls({ a: paused(1), b: on(3) }))).toEqual([
      { type: "a", kind: "stop", control: paused(1) },
      { type: "b", kind: "start", control: on(3) },
    ]);
  });

  it("restarts a consuming type whose concurrency changed, up or down", () => {
    expect(planConsumerChanges(controls({ a: on(1), b: on(3) }), controls({ a: on(3), b: on(1) }))).toEqual([
      { type: "a", kind: "restart", control: on(3), previous: on(1) },
      { type: "b", kind: "restart", control: on(1), previous: on(3) },
    ]);
  });

  it("touches no consumer when a paused type's concurrency changes: it applies on resume", () => {
    expect(planConsumerChanges(controls({ a: paused(1) }), controls({ a: paused(4) }))).toEqual([]);
  });

  it("pausing and changing the concurrency at once only stops", () => {
    expect(planConsumerChanges(controls({ a: on(1) }), controls({ a: paused(5) }))).toEqual([{ type: "a", kind: "stop", control: paused(5) }]);
  });

  it("leaves alone a type the reading does not mention", () => {
    expect(planConsumerChanges(controls({ a: on(1) }), new Map())).toEqual([]);
  });
});

describe("effectiveQueueControls", () => {
  const types = [
    { name: "a", concurrency: 2 },
    { name: "b", concurrency: 1 },
  ];

  it("gives a type without a setting its own concurrency, not paused", () => {
    expect(effectiveQueueControls(types, [])).toEqual(controls({ a: on(2), b: on(1) }));
  });

  it("takes the setting over the default; a null concurrency is the default", () => {
    expect(
      effectiveQueueControls(types, [
        { type: "a", paused: true, concurrency: null },
        { type: "b", paused: false, concurrency: 7 },
      ]),
    ).toEqual(controls({ a: paused(2), b: on(7) }));
  });

  it("ignores settings of types it does not serve", () => {
    expect(effectiveQueueControls(types, [{ type: "gone", paused: true, concurrency: 3 }])).toEqual(controls({ a: on(2), b: on(1) }));
  });

  it("keeps a hand-written out-of-range concurrency within what a consumer accepts", () => {
    expect(
      effectiveQueueControls(types, [
        { type: "a", paused: false, concurrency: 0 },
        { type: "b", paused: false, concurrency: 1_000_000 },
      ]),
    ).toEqual(controls({ a: on(1), b: on(maxConcurrency) }));
  });
});

describe("concurrencyProblem", () => {
  it.each([1, 3, maxConcurrency])("accepts %i", (n) => expect(concurrencyProblem(n)).toBeNull());
  it("accepts null: back to the default", () => expect(concurrencyProblem(null)).toBeNull());
  it.each([0, -1, maxConcurrency + 1, 1.5])("refuses %d, naming the range", (n) => {
    expect(concurrencyProblem(n)).toContain(`from 1 to ${maxConcurrency}`);
  });
});
