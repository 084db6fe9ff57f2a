/** The most attempts at once the gateway accepts for a type (its maxConcurrency). */
export const maxConcurrency = 1_000;

export type ConcurrencyInput = { ok: true; concurrency: number | null } | { ok: false; issue: string };

/**
 * Reads the concurrency field: a whole number from 1 to `maxConcurrency`, or
 * blank for the type's own default (sent as null).
 */
export function readConcurrencyInput(text: string): ConcurrencyInput {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, concurrency: null };
  if (!/^\+?\d+$/.test(trimmed)) return { ok: false, issue: `Give a whole number from 1 to ${maxConcurrency}, or leave it blank for the default.` };
  const concurrency = Number(trimmed);
  if (concurrency < 1 || concurrency > maxConcurrency) return { ok: false, issue: `From 1 to ${maxConcurrency} attempts at once per worker.` };
  return { ok: true, concurrency };
}
