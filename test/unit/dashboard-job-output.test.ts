import { describe, expect, it } from "vitest";
import { appendChunk, noOutput, parseStoredOutput, resumePointOf, type HeldOutput } from "../../src/web/dashboard/jobs/job-output-state.js";

const chunk = (attempt: number, offset: number, text: string) => ({ attempt, offset, text });

/** Feeds chunks one after another, as the stream delivers them; "gap" stops it. */
function feed(held: HeldOutput, chunks: ReturnType<typeof chunk>[]): HeldOutput | "gap" {
  let current: HeldOutput | "gap" = held;
  for (const c of chunks) {
    if (current === "gap") return current;
    current = appendChunk(current, c);
  }
  return current;
}

describe("a job's streamed output as the page holds it", () => {
  it("grows by each chunk at its offset, from nothing to the whole text", () => {
    expect(feed(noOutput, [chunk(1, 0, "Once "), chunk(1, 5, "upon "), chunk(1, 10, "a time.")])).toEqual({ attempt: 1, text: "Once upon a time." });
  });

  it("adds nothing for a chunk it already holds, and only the new part of one that overlaps (a replay racing a live chunk)", () => {
    const held = { attempt: 1, text: "Once upon" };
    expect(appendChunk(held, chunk(1, 0, "Once "))).toBe(held);
    expect(appendChunk(held, chunk(1, 5, "upon"))).toBe(held);
    expect(appendChunk(held, chunk(1, 5, "upon a time"))).toEqual({ attempt: 1, text: "Once upon a time" });
  });

  it("says gap when text is missing before a chunk, so the page asks again from the offset it holds", () => {
    expect(appendChunk({ attempt: 1, text: "Once" }, chunk(1, 10, "a time"))).toBe("gap");
    // A newer attempt's chunk that does not start at 0: its beginning was missed.
    expect(appendChunk({ attempt: 1, text: "Once" }, chunk(2, 3, "abc"))).toBe("gap");
  });

  it("starts over with a newer attempt's text (a retry), and ignores an older attempt's chunk", () => {
    const first = { attempt: 1, text: "The first try, cut short" };
    const second = appendChunk(first, chunk(2, 0, "A new "));
    expect(second).toEqual({ attempt: 2, text: "A new " });
    expect(appendChunk(second as HeldOutput, chunk(1, 24, " and more"))).toBe(second);
  });

  it("counts offsets in UTF-16 code units, as the gateway does (JavaScript's length)", () => {
    const held = feed(noOutput, [chunk(1, 0, "Ünïcödé 🐉"), chunk(1, "Ünïcödé 🐉".length, " flies")]);
    expect(held).toEqual({ attempt: 1, text: "Ünïcödé 🐉 flies" });
  });

  it("resumes from the attempt and length held; from the latest attempt when it holds nothing", () => {
    expect(resumePointOf(noOutput)).toEqual({ attempt: null, offset: 0 });
    expect(resumePointOf({ attempt: 3, text: "abc" })).toEqual({ attempt: 3, offset: 3 });
  });

  it("reads a stored output back, and anything else as none", () => {
    expect(parseStoredOutput(JSON.stringify({ attempt: 2, text: "kept" }))).toEqual({ attempt: 2, text: "kept" });
    for (const stored of [null, "", "not json", "[]", JSON.stringify({ attempt: 0, text: "x" }), JSON.stringify({ attempt: 1.5, text: "x" }), JSON.stringify({ attempt: 1 })]) {
      expect(parseStoredOutput(stored)).toEqual(noOutput);
    }
  });
});
