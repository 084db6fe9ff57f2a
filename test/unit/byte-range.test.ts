import { describe, expect, it } from "vitest";
import { parseByteRange } from "../../src/http/byte-range.js";

describe("parseByteRange", () => {
  it("no header, or one to ignore, is the whole file", () => {
    for (const header of [undefined, "", "bytes=", "bytes=-", "items=0-1", "bytes=a-b", "bytes=5-2", "bytes=0-1,3-4", "bytes=0-1, 5-"]) {
      expect(parseByteRange(header, 100), String(header)).toEqual({ kind: "whole" });
    }
  });

  it("first-last, first- and -suffix", () => {
    expect(parseByteRange("bytes=0-0", 100)).toEqual({ kind: "range", start: 0, end: 0 });
    expect(parseByteRange("bytes=10-19", 100)).toEqual({ kind: "range", start: 10, end: 19 });
    expect(parseByteRange("bytes=90-", 100)).toEqual({ kind: "range", start: 90, end: 99 });
    expect(parseByteRange("bytes=-10", 100)).toEqual({ kind: "range", start: 90, end: 99 });
    expect(parseByteRange("Bytes = 1 - 2", 100)).toEqual({ kind: "range", start: 1, end: 2 });
  });

  it("a last byte past the end, or a suffix longer than the file, is cut to the file", () => {
    expect(parseByteRange("bytes=50-1000", 100)).toEqual({ kind: "range", start: 50, end: 99 });
    expect(parseByteRange("bytes=-1000", 100)).toEqual({ kind: "range", start: 0, end: 99 });
    expect(parseByteRange("bytes=0-99999999999999999999", 100)).toEqual({ kind: "range", start: 0, end: 99 });
    expect(parseByteRange("bytes=-99999999999999999999", 100)).toEqual({ kind: "range", start: 0, end: 99 });
  });

  it("a start past the end, a zero suffix or any range of an empty file cannot be satisfied", () => {
    expect(parseByteRange("bytes=100-", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseByteRange("bytes=100-200", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseByteRange("bytes=99999999999999999999-", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseByteRange("bytes=-0", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseByteRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
    expect(parseByteRange("bytes=-5", 0)).toEqual({ kind: "unsatisfiable" });
  });
});
