import { describe, expect, it } from "vitest";
import { LineTooLongError, ndjsonLines } from "../../src/consumers/ndjson-lines.js";

async function* chunksOf(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? Buffer.from(part) : part;
}

async function linesOf(parts: (string | Uint8Array)[], maxLineBytes = 1_000): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of ndjsonLines(chunksOf(...parts), maxLineBytes)) lines.push(line);
  return lines;
}

describe("ndjsonLines", () => {
  it("yields each line, whatever the chunks' boundaries", async () => {
    expect(await linesOf(['{"a":1}\n{"b"', ':2}\n{"c":3}\n'])).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(await linesOf(['{"a":1}\n', '{"b":2}\n'])).toEqual(['{"a":1}', '{"b":2}']);
    expect(await linesOf(["{", '"a"', ":", "1}", "\n"])).toEqual(['{"a":1}']);
  });

  it("yields a last line that ends with the stream, drops CRs before LF, skips blank lines", async () => {
    expect(await linesOf(['{"a":1}\r\n\r\n  \n{"b":2}'])).toEqual(['{"a":1}', '{"b":2}']);
    expect(await linesOf([])).toEqual([]);
    expect(await linesOf(["\n\n"])).toEqual([]);
  });

  it("keeps a UTF-8 character split across two chunks whole", async () => {
    const bytes = Buffer.from('{"m":"é€😀"}\n');
    const lines = await linesOf([bytes.subarray(0, 8), bytes.subarray(8, 11), bytes.subarray(11)]);
    expect(lines).toEqual(['{"m":"é€😀"}']);
  });

  it("throws on invalid UTF-8", async () => {
    await expect(linesOf([Buffer.from([0x7b, 0xff, 0x7d, 0x0a])])).rejects.toThrow(TypeError);
  });

  it("throws when a line passes the limit, ended or not", async () => {
    await expect(linesOf(["x".repeat(11) + "\n"], 10)).rejects.toBeInstanceOf(LineTooLongError);
    await expect(linesOf(["x".repeat(6), "x".repeat(6)], 10)).rejects.toBeInstanceOf(LineTooLongError);
    expect(await linesOf(["x".repeat(10) + "\n" + "y".repeat(10)], 10)).toEqual(["x".repeat(10), "y".repeat(10)]);
  });

  it("yields lines as they arrive, before the stream ends", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('{"progress":0.5}\n');
      await gate;
      yield Buffer.from('{"result":1}\n');
    }
    const lines = ndjsonLines(slow(), 100);
    expect((await lines.next()).value).toBe('{"progress":0.5}');
    release();
    expect((await lines.next()).value).toBe('{"result":1}');
    expect((await lines.next()).done).toBe(true);
  });
});
