import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createOutputCoalescer, retryAfterErrorMs } from "../../src/domain/output-coalescer.js";
import { trimOutputChunks } from "../../src/events/trim-output-chunks.js";

const interval = 100;
const start = 1_700_000_000_000;

/** A coalescer whose writes are recorded with the (fake) time they started; `answer` decides each write's outcome. */
function setup(options: { minIntervalMs?: number; answer?: (offset: number, text: string) => Promise<boolean> } = {}) {
  const writes: { offset: number; text: string; at: number }[] = [];
  const errors: unknown[] = [];
  const coalescer = createOutputCoalescer({
    minIntervalMs: options.minIntervalMs ?? interval,
    now: () => Date.now(),
    write: async (offset, text) => {
      writes.push({ offset, text, at: Date.now() });
      return options.answer ? options.answer(offset, text) : true;
    },
    onError: (error) => errors.push(error),
  });
  return { coalescer, writes, errors, text: () => writes.map((w) => w.text).join("") };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(start);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("output coalescer", () => {
  it("writes the first text at once, then what comes within an interval together, each at the end of the last", async () => {
    const { coalescer, writes, text } = setup();
    const tokens = Array.from({ length: 200 }, (_, i) => `token${i} `);
    for (const token of tokens) {
      coalescer.append(token);
      await vi.advanceTimersByTimeAsync(5);
    }
    await coalescer.flush();

    expect(text()).toBe(tokens.join(""));
    expect(writes[0]).toMatchObject({ offset: 0, text: "token0 ", at: start });
    // 200 tokens 5 ms apart: about one write per interval, not one per token.
    expect(writes.length).toBeLessThanOrEqual(2 + Math.ceil((200 * 5) / interval));
    for (let i = 1; i < writes.length; i++) {
      expect(writes[i]!.offset).toBe(writes[i - 1]!.offset + writes[i - 1]!.text.length);
      if (i < writes.length - 1) expect(writes[i]!.at - writes[i - 1]!.at).toBeGreaterThanOrEqual(interval);
    }
    expect(coalescer.written).toBe(tokens.join("").length);
  });

  it("keeps one write in flight: text appended meanwhile waits for it", async () => {
    let release: (() => void) | null = null;
    const { coalescer, writes } = setup({
      minIntervalMs: 0,
      answer: () => new Promise<boolean>((resolve) => (release = () => resolve(true))),
    });
    coalescer.append("a");
    coalescer.append("b");
    coalescer.append("c");
    expect(writes.map((w) => w.text)).toEqual(["a"]);
    release!();
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.map((w) => [w.offset, w.text])).toEqual([
      [0, "a"],
      [1, "bc"],
    ]);
    release!();
    await coalescer.flush();
  });

  it("flush writes what waits at once and resolves once it is written", async () => {
    const { coalescer, writes } = setup();
    coalescer.append("first ");
    coalescer.append("second");
    expect(writes).toHaveLength(1);
    await coalescer.flush();
    expect(writes.map((w) => w.text)).toEqual(["first ", "second"]);
    expect(writes[1]!.at).toBe(start);
  });

  it("never ends a chunk in half a character, except at the flush", async () => {
    const { coalescer, writes } = setup({ minIntervalMs: 0 });
    const smile = "\u{1F600}";
    coalescer.append(`hi ${smile[0]}`);
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.map((w) => w.text)).toEqual(["hi "]);
    coalescer.append(`${smile[1]}!`);
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.map((w) => w.text)).toEqual(["hi ", `${smile}!`]);
    coalescer.append("\ud83d");
    await coalescer.flush();
    expect(writes.at(-1)!.text).toBe("\ud83d");
  });

  it("a failed write keeps its text: the next one starts at the same offset with what followed, after a pause", async () => {
    let fail = true;
    const { coalescer, writes, errors } = setup({
      minIntervalMs: 0,
      answer: async () => {
        if (fail) throw new Error("database away");
        return true;
      },
    });
    coalescer.append("lost? ");
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    coalescer.append("no.");
    fail = false;
    await vi.advanceTimersByTimeAsync(retryAfterErrorMs - 10);
    expect(writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(writes.map((w) => [w.offset, w.text])).toEqual([
      [0, "lost? "],
      [0, "lost? no."],
    ]);
  });

  it("flush rejects with a write's error and keeps the text for the next flush", async () => {
    let fail = true;
    const { coalescer, writes } = setup({
      answer: async () => {
        if (fail) throw new Error("database away");
        return true;
      },
    });
    coalescer.append("text");
    await expect(coalescer.flush()).rejects.toThrow("database away");
    fail = false;
    await coalescer.flush();
    expect(writes.at(-1)).toMatchObject({ offset: 0, text: "text" });
  });

  it("a fenced-out writer writes nothing more", async () => {
    const { coalescer, writes } = setup({ minIntervalMs: 0, answer: async () => false });
    coalescer.append("superseded");
    await vi.advanceTimersByTimeAsync(0);
    coalescer.append(" more");
    await coalescer.flush();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(writes.map((w) => w.text)).toEqual(["superseded"]);
  });

  it("discard drops what waits and stops the timer", async () => {
    const { coalescer, writes } = setup();
    coalescer.append("one");
    coalescer.append("two");
    coalescer.discard();
    await vi.advanceTimersByTimeAsync(1_000);
    await coalescer.flush();
    expect(writes.map((w) => w.text)).toEqual(["one"]);
  });
});

describe("trimOutputChunks", () => {
  const chunk = (offset: number, text: string) => ({ jobId: "j", attempt: 1, offset, text });
  const chunks = [chunk(0, "Once "), chunk(5, "upon "), chunk(10, "a time.")];

  it("drops the chunks before the position and cuts the one that holds it", () => {
    expect(trimOutputChunks(chunks, 0)).toEqual(chunks);
    expect(trimOutputChunks(chunks, 5)).toEqual(chunks.slice(1));
    expect(trimOutputChunks(chunks, 7)).toEqual([chunk(7, "on "), chunk(10, "a time.")]);
    expect(trimOutputChunks(chunks, 17)).toEqual([]);
    expect(trimOutputChunks(chunks, 99)).toEqual([]);
  });
});
