import { describe, expect, it } from "vitest";
import { createBatchFlusher } from "../../src/batching/batch-flusher.js";

describe("createBatchFlusher", () => {
  it("flushes items added in the same tick as one batch", async () => {
    const batches: number[][] = [];
    const flusher = createBatchFlusher<number>(async (items) => void batches.push(items));
    for (let i = 0; i < 5; i++) flusher.add(i);
    await flusher.flushed();
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
  });

  it("runs one flush at a time and gathers what arrives meanwhile into the next", async () => {
    const batches: number[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let release!: () => void;
    const flusher = createBatchFlusher<number>(async (items) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      inFlight--;
    });
    flusher.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    flusher.add(2);
    flusher.add(3);
    release();
    await flusher.flushed();
    expect(batches).toEqual([[1], [2, 3]]);
    expect(maxInFlight).toBe(1);
  });

  it("flushes an item added while the last flush is finishing", async () => {
    const seen: number[] = [];
    const flusher = createBatchFlusher<number>(async (items) => {
      seen.push(...items);
      // Added after the flush loop found nothing more to do, before it settled.
      if (items.includes(1)) queueMicrotask(() => flusher.add(2));
    });
    flusher.add(1);
    await flusher.flushed();
    await flusher.flushed();
    expect(seen).toEqual([1, 2]);
  });
});
