/**
 * A job's event log as the page keeps it: events in seq order, each once.
 * The gateway sends every event with seq > after, in order, with no gap;
 * after a reconnect or a reload the page asks again from the last seq it
 * holds, and anything it already has (a replay racing a live event) is
 * dropped here. Pure: no DOM, no I/O.
 */

export interface LoggedEvent {
  seq: number;
  at: string;
  status: string;
  progress: number;
  message?: string | null;
}

/** Most events kept per job; the oldest go first. */
export const maxEventsKept = 1_000;

export const lastSeqOf = (log: readonly LoggedEvent[]) => log.at(-1)?.seq ?? 0;

/** `log` with the events of `incoming` it does not have yet, in seq order. */
export function appendEvents<T extends LoggedEvent>(log: readonly T[], incoming: readonly T[]): T[] {
  let next: T[] | null = null;
  let last = lastSeqOf(log);
  for (const event of incoming) {
    if (event.seq <= last) continue;
    (next ??= [...log]).push(event);
    last = event.seq;
  }
  if (!next) return log as T[];
  return next.length > maxEventsKept ? next.slice(next.length - maxEventsKept) : next;
}

/** Seqs missing between the first and last event held (for a check, and for tests). */
export function gapsIn(log: readonly LoggedEvent[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < log.length; i++) {
    for (let seq = log[i - 1]!.seq + 1; seq < log[i]!.seq; seq++) gaps.push(seq);
  }
  return gaps;
}

/** A stored log read back: anything that is not a list of events in rising seq order counts as empty. */
export function parseStoredLog(text: string | null): LoggedEvent[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    const events = value.filter(
      (e): e is LoggedEvent =>
        typeof e === "object" && e !== null && Number.isInteger(e.seq) && typeof e.at === "string" && typeof e.status === "string" && typeof e.progress === "number",
    );
    return appendEvents([], events);
  } catch {
    return [];
  }
}
