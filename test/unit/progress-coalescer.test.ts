import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clampFraction, createProgressCoalescer, type ProgressReport } from "../../src/domain/progress-coalescer.js";

const interval = 100;

/** A coalescer whose writes are recorded with the (fake) time they started. */
function setup(options: { minIntervalMs?: number; write?: (report: ProgressReport) => Promise<void> } = {}) {
  const writes: (ProgressReport & { at: number })[] = [];
  const coalescer = createProgressCoalescer({
    minIntervalMs: options.minIntervalMs ?? interval,
    now: () => Date.now(),
    write: async (report) => {
      writes.push({ ...report, at: Date.now() });
      await options.write?.(report);
    },
  });
  return { coalescer, writes, fractions: () => writes.map((w) => w.fraction) };
}

const start = 1_700_000_000_000;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(start);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("progress coalescer", () => {
  it("writes the first report at once", async () => {
    const { coalescer, writes } = setup();
    await coalescer.report(0.25, "a quarter");
    expect(writes).toEqual([{ fraction: 0.25, message: "a quarter", at: start }]);
  });

  it("bounds writes to one per interval however often progress is reported", async () => {
    const { coalescer, writes } = setup();
    // 200 reports, 5 ms apart: one second of chatty progress.
    for (let i = 1; i <= 200; i++) {
      await coalescer.report(i / 200, `step ${i}`);
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(interval);

    expect(writes.length).toBeLessThanOrEqual(1 + Math.ceil((200 * 5) / interval));
    expect(writes.length).toBeGreaterThan(1);
    for (let i = 1; i < writes.length; i++) {
      expect(writes[i]!.at - writes[i - 1]!.at).toBeGreaterThanOrEqual(interval);
    }
    expect(writes.at(-1)).toMatchObject({ fraction: 1, message: "step 200" });
  });

  it("writes the last report of a burst when the interval has passed", async () => {
    const { coalescer, writes, fractions } = setup();
    await coalescer.report(0.1, "first");
    vi.advanceTimersByTime(10);
    await coalescer.report(0.2, "second");
    vi.advanceTimersByTime(10);
    await coalescer.report(0.3, "third");
    expect(fractions()).toEqual([0.1]);

    await vi.advanceTimersByTimeAsync(interval - 21);
    expect(fractions()).toEqual([0.1]);
    await vi.advanceTimersByTimeAsync(1);
    // The waiting report was replaced, not queued: 0.2 is never written.
    expect(writes).toEqual([
      { fraction: 0.1, message: "first", at: start },
      { fraction: 0.3, message: "third", at: start + interval },
    ]);

    await vi.advanceTimersByTimeAsync(10 * interval);
    expect(writes).toHaveLength(2);
  });

  it("measures the interval from the last write", async () => {
    const { coalescer, fractions } = setup();
    await coalescer.report(0.1, null);
    vi.advanceTimersByTime(interval);
    await coalescer.report(0.2, null);
    expect(fractions()).toEqual([0.1, 0.2]);
    vi.advanceTimersByTime(interval - 1);
    await coalescer.report(0.3, null);
    expect(fractions()).toEqual([0.1, 0.2]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fractions()).toEqual([0.1, 0.2, 0.3]);
  });

  it("flush() writes the waiting report at once, and the timer does not write it again", async () => {
    const { coalescer, writes } = setup();
    await coalescer.report(0.5, "half");
    await coalescer.report(1, "done");
    expect(writes).toHaveLength(1);

    await coalescer.flush();
    expect(writes).toEqual([
      { fraction: 0.5, message: "half", at: start },
      { fraction: 1, message: "done", at: start },
    ]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * interval);
    expect(writes).toHaveLength(2);
  });

  it("flush() with nothing waiting writes nothing", async () => {
    const { coalescer, writes } = setup();
    await coalescer.flush();
    expect(writes).toEqual([]);
    await coalescer.report(0.5, null);
    await coalescer.flush();
    expect(writes).toHaveLength(1);
  });

  it("flush() waits for a write still in flight", async () => {
    let release!: () => void;
    const { coalescer, writes } = setup({ write: () => new Promise<void>((resolve) => (release = resolve)) });
    const first = coalescer.report(0.5, null);
    let flushed = false;
    const flushing = coalescer.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toHaveLength(1);
    expect(flushed).toBe(false);
    release();
    await Promise.all([first, flushing]);
    expect(flushed).toBe(true);
  });

  it("writes in the order reported, one at a time, even when a write is slow", async () => {
    const releases: (() => void)[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const { coalescer, fractions } = setup({
      minIntervalMs: 0,
      write: () => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        return new Promise<void>((resolve) =>
          releases.push(() => {
            inFlight--;
            resolve();
          }),
        );
      },
    });
    const reports = [0.1, 0.2, 0.3].map((fraction) => coalescer.report(fraction, null));
    await vi.advanceTimersByTimeAsync(0);
    expect(fractions()).toEqual([0.1]);

    releases.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(fractions()).toEqual([0.1, 0.2]);

    releases.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    releases.shift()!();
    await Promise.all(reports);
    expect(fractions()).toEqual([0.1, 0.2, 0.3]);
    expect(mostInFlight).toBe(1);
  });

  it("discard() drops the waiting report", async () => {
    const { coalescer, fractions } = setup();
    await coalescer.report(0.1, null);
    await coalescer.report(0.9, "never written");
    coalescer.discard();
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(10 * interval);
    await coalescer.flush();
    expect(fractions()).toEqual([0.1]);
  });

  it("keeps working after discard()", async () => {
    const { coalescer, fractions } = setup();
    await coalescer.report(0.1, null);
    await coalescer.report(0.2, null);
    coalescer.discard();
    await vi.advanceTimersByTimeAsync(interval);
    await coalescer.report(0.3, null);
    expect(fractions()).toEqual([0.1, 0.3]);
  });

  it("writes at once every time with a zero interval", async () => {
    const { coalescer, fractions } = setup({ minIntervalMs: 0 });
    for (const fraction of [0.1, 0.2, 0.3]) await coalescer.report(fraction, null);
    expect(fractions()).toEqual([0.1, 0.2, 0.3]);
  });

  it("clamps reported fractions to 0..1 and writes NaN as 0", async () => {
    const { coalescer, fractions } = setup({ minIntervalMs: 0 });
    for (const fraction of [-0.5, 1.5, Number.NaN, 0.5]) await coalescer.report(fraction, null);
    expect(fractions()).toEqual([0, 1, 0, 0.5]);
  });

  it("clamps the waiting report too", async () => {
    const { coalescer, fractions } = setup();
    await coalescer.report(0.5, null);
    await coalescer.report(7, null);
    await coalescer.flush();
    expect(fractions()).toEqual([0.5, 1]);
  });
});

describe("clampFraction", () => {
  it.each([
    [-1, 0],
    [-0.0001, 0],
    [0, 0],
    [0.42, 0.42],
    [1, 1],
    [1.0001, 1],
    [42, 1],
    [Number.NaN, 0],
  ])("clampFraction(%d) = %d", (input, expected) => {
    expect(clampFraction(input)).toBe(expected);
  });
});
