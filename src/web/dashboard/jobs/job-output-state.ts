/**
 * A job's streamed output (a story as it is written) as the page keeps it:
 * the text of one attempt so far. The gateway sends an attempt's text in
 * chunks, each at its offset (UTF-16 code units, JavaScript's length), in
 * order and without a gap; after a reconnect or a reload the page asks again
 * from the attempt and offset it holds. A chunk it already has (a replay
 * racing a live chunk) adds nothing; a chunk of a newer attempt (a retry)
 * starts the text over. Pure: no DOM, no I/O.
 */

export interface HeldOutput {
  /** The attempt the text belongs to; 0 before any chunk. */
  attempt: number;
  text: string;
}

export interface OutputChunk {
  attempt: number;
  offset: number;
  text: string;
}

export const noOutput: HeldOutput = { attempt: 0, text: "" };

/**
 * `held` with `chunk` added: the same object when the chunk adds nothing,
 * "gap" when text is missing before it (the caller asks again from the
 * offset it holds).
 */
export function appendChunk(held: HeldOutput, chunk: OutputChunk): HeldOutput | "gap" {
  if (chunk.attempt < held.attempt) return held;
  if (chunk.attempt > held.attempt) {
    // A new attempt's text starts at 0; held text of an older attempt is dropped.
    if (chunk.offset > 0) return "gap";
    return { attempt: chunk.attempt, text: chunk.text };
  }
  const end = chunk.offset + chunk.text.length;
  if (end <= held.text.length) return held;
  if (chunk.offset > held.text.length) return "gap";
  return { attempt: held.attempt, text: held.text + chunk.text.slice(held.text.length - chunk.offset) };
}

/** Where to ask the stream to go on from: the attempt held (null: the latest) and its length. */
export const resumePointOf = (held: HeldOutput) => ({ attempt: held.attempt > 0 ? held.attempt : null, offset: held.text.length });

/** A stored output read back; anything else counts as none. */
export function parseStoredOutput(text: string | null): HeldOutput {
  if (!text) return noOutput;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return noOutput;
    const { attempt, text: stored } = value as Record<string, unknown>;
    return Number.isInteger(attempt) && (attempt as number) > 0 && typeof stored === "string" ? { attempt: attempt as number, text: stored } : noOutput;
  } catch {
    return noOutput;
  }
}
