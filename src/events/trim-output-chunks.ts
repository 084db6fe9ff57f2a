import type { OutputChunkRow } from "../db/queries/append-job-output.js";

/**
 * The part of `chunks` (in order, of one attempt) from character `position`
 * on: chunks that end at or before it are dropped, and one that holds it is
 * cut to begin there (its offset moved with it). So a reader that asks from
 * any offset, even inside a chunk, gets each character once.
 */
export function trimOutputChunks(chunks: readonly OutputChunkRow[], position: number): OutputChunkRow[] {
  const trimmed: OutputChunkRow[] = [];
  let from = position;
  for (const chunk of chunks) {
    const end = chunk.offset + chunk.text.length;
    if (end <= from) continue;
    const cut = Math.max(0, from - chunk.offset);
    trimmed.push(cut === 0 ? chunk : { ...chunk, offset: chunk.offset + cut, text: chunk.text.slice(cut) });
    from = end;
  }
  return trimmed;
}
