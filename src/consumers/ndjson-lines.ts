/** A line longer than its limit: the stream is refused rather than buffered without end. */
export class LineTooLongError extends Error {
  constructor(readonly maxLineBytes: number) {
    super(`a line is longer than ${maxLineBytes} bytes`);
    this.name = "LineTooLongError";
  }
}

const newline = 0x0a;

/**
 * The lines of a byte stream (NDJSON: one JSON value a line), as they
 * arrive. A line ends at LF (a CR before it is dropped); the last one may
 * end with the stream. Each line is decoded whole, so a UTF-8 character split
 * across chunks stays intact; invalid UTF-8 throws. Blank lines are skipped.
 */
export async function* ndjsonLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const take = (tail: Buffer): string | null => {
    const bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    if (bytes.length > maxLineBytes) throw new LineTooLongError(maxLineBytes);
    const line = decoder.decode(bytes.at(-1) === 0x0d ? bytes.subarray(0, -1) : bytes);
    return line.trim() === "" ? null : line;
  };
  for await (const chunk of chunks) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let end = bytes.indexOf(newline, start); end !== -1; end = bytes.indexOf(newline, start)) {
      const line = take(bytes.subarray(start, end));
      start = end + 1;
      if (line !== null) yield line;
    }
    if (start < bytes.length) {
      pending.push(bytes.subarray(start));
      pendingBytes += bytes.length - start;
      if (pendingBytes > maxLineBytes) throw new LineTooLongError(maxLineBytes);
    }
  }
  if (pendingBytes > 0) {
    const line = take(Buffer.alloc(0));
    if (line !== null) yield line;
  }
}
