import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCachedReading } from "../../src/observability/cached-reading.js";

describe("createCachedReading (queue depths at scrape time)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const options = { maxAgeMs: 5_000, timeoutMs: 1_000, now: () => Date.now() };

  it("reads once per period, however many callers ask", async () => {
    let reads = 0;
    const reading = createCachedReading(async () => ++reads, options);
    expect(await Promise.all([reading.get(), reading.get()])).toEqual([1, 1]);
    vi.advanceTimersByTime(4_999);
    expect(await reading.get()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await reading.get()).toBe(2);
    expect(reads).toBe(2);
  });

  it("answers null when the source fails, and asks again next period", async () => {
    let fail = true;
    const reading = createCachedReading(async () => {
      if (fail) throw new Error("broker down");
      return "depths";
    }, options);
    expect(await reading.get()).toBeNull();
    fail = false;
    expect(await reading.get()).toBeNull();
    vi.advanceTimersByTime(5_000);
    expect(await reading.get()).toBe("depths");
  });

  it("answers null after the timeout when the source hangs, and does not pile up reads", async () => {
    let reads = 0;
    let release!: (value: string) => void;
    const reading = createCachedReading(() => {
      reads++;
      return reads === 1 ? new Promise<string>((resolve) => (release = resolve)) : Promise.resolve("fresh");
    }, options);
    const first = reading.get();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await first).toBeNull();
    vi.advanceTimersByTime(10_000);
    // The hung read is still pending: no second one.
    expect(await reading.get()).toBeNull();
    expect(reads).toBe(1);
    // Once it settles (its late answer unused), the next period reads again.
    release("late");
    await vi.advanceTimersByTimeAsync(0);
    expect(await reading.get()).toBe("fresh");
    expect(reads).toBe(2);
  });
});
