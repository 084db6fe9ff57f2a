import { describe, expect, it } from "vitest";
import { estimateStartAt, estimateStartDelayMs, slotFreeDelayMs, type QueueLoad } from "../../src/domain/estimate-start.js";

const load = (overrides: Partial<QueueLoad> = {}): QueueLoad => ({ meanRunMs: 1_000, slots: 1, runningElapsedMs: [], ...overrides });

describe("estimateStartDelayMs", () => {
  it("cannot tell without a consumer, a known slot count or a run history", () => {
    expect(estimateStartDelayMs(load({ slots: 0 }), 1)).toBeNull();
    expect(estimateStartDelayMs(load({ slots: null }), 1)).toBeNull();
    expect(estimateStartDelayMs(load({ meanRunMs: null }), 1)).toBeNull();
  });

  it.each([0, -1, 1.5, Number.NaN])("has no answer for position %s (positions start at 1)", (position) => {
    expect(estimateStartDelayMs(load(), position)).toBeNull();
  });

  it("with idle slots, starts the first wave now and each later wave one mean run time after the one before", () => {
    const idle = load({ slots: 3 });
    expect([1, 2, 3, 4, 5, 6, 7].map((p) => estimateStartDelayMs(idle, p))).toEqual([0, 0, 0, 1_000, 1_000, 1_000, 2_000]);
  });

  it("with every slot on an attempt that has just begun, adds one mean run time: (R + p - 1) / C waves", () => {
    const busy = load({ slots: 2, runningElapsedMs: [0, 0] });
    expect([1, 2, 3, 4, 5].map((p) => estimateStartDelayMs(busy, p))).toEqual([1_000, 1_000, 2_000, 2_000, 3_000]);
  });

  it("counts what the running attempts have left, soonest slot first, and keeps that order wave after wave", () => {
    // One slot frees in 300 ms (700 elapsed), the other in 900 ms (100 elapsed), a third is idle.
    const mixed = load({ slots: 3, runningElapsedMs: [100, 700] });
    expect([1, 2, 3, 4, 5, 6].map((p) => estimateStartDelayMs(mixed, p))).toEqual([0, 300, 900, 1_000, 1_300, 1_900]);
  });

  it("treats an attempt past the mean run time as about to end, and one of unknown start as half done", () => {
    expect(estimateStartDelayMs(load({ runningElapsedMs: [5_000] }), 1)).toBe(0);
    expect(estimateStartDelayMs(load({ runningElapsedMs: [null] }), 1)).toBe(500);
    expect(estimateStartDelayMs(load({ runningElapsedMs: [null] }), 3)).toBe(2_500);
  });

  it("with more attempts running than slots (a worker gone), uses the slots that free first", () => {
    expect(estimateStartDelayMs(load({ slots: 1, runningElapsedMs: [100, 800, 500] }), 1)).toBe(200);
    expect(estimateStartDelayMs(load({ slots: 1, runningElapsedMs: [100, 800, 500] }), 2)).toBe(1_200);
  });

  it("rounds to whole milliseconds", () => {
    expect(estimateStartDelayMs(load({ meanRunMs: 333.4 }), 4)).toBe(1_000);
    expect(estimateStartDelayMs(load({ meanRunMs: 333.6, runningElapsedMs: [0.25] }), 1)).toBe(333);
    expect(estimateStartDelayMs(load({ meanRunMs: 1_000.5, runningElapsedMs: [null] }), 1)).toBe(500);
  });

  it("never decreases from one position to the next", () => {
    const mixed = load({ meanRunMs: 730, slots: 4, runningElapsedMs: [12, null, 900, 400, 650] });
    const delays = Array.from({ length: 40 }, (_, i) => estimateStartDelayMs(mixed, i + 1)!);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });
});

describe("slotFreeDelayMs", () => {
  it("lists idle slots as free now, then busy ones by what they have left", () => {
    expect([0, 1, 2].map((slot) => slotFreeDelayMs(1_000, 3, [600, 100], slot))).toEqual([0, 400, 900]);
  });
});

describe("estimateStartAt", () => {
  it("adds the delay to now, or answers null when it cannot tell", () => {
    const now = new Date("2030-01-01T00:00:00.000Z");
    expect(estimateStartAt(load({ slots: 2, runningElapsedMs: [250, 0] }), 1, now)).toEqual(new Date("2030-01-01T00:00:00.750Z"));
    expect(estimateStartAt(load({ slots: 0 }), 1, now)).toBeNull();
  });
});
