/**
 * When a QUEUED job should start: the arithmetic, apart from the reads that
 * feed it (see docs/architecture.md, "Queue position and ETA").
 *
 * Model: a type's queue is served by `slots` attempts at once (consumers on
 * its work queue × the type's concurrency), and every attempt takes the
 * type's recent mean run time D. A slot that runs an attempt now frees when
 * that attempt has had D (at once when it has run longer; after D/2, the
 * expected rest, when its start is not known); an idle slot is free now.
 * Queued jobs take the slots in queue order, so the job at 1-based position
 * p (q = p - 1 jobs ahead of it) starts in wave floor(q / slots), on the
 * (q mod slots)-th slot to free:
 *
 *   start = now + free[q mod slots] + floor(q / slots) × D
 *
 * Every slot frees within D, so the slots keep that order wave after wave.
 * With nothing running this is now + floor(q / slots) × D; with every slot
 * busy on an attempt that has just begun, now + (floor(q / slots) + 1) × D.
 */

export interface QueueLoad {
  /** Mean run time of the type's recent attempts, in ms; null: no recent history. */
  meanRunMs: number | null;
  /** Attempts of the type that can run at once; 0: nobody consumes its queue. null: not known. */
  slots: number | null;
  /** For each attempt of the type running now, how long it has run (ms); null where its start is not known. */
  runningElapsedMs: readonly (number | null)[];
}

/** Milliseconds from now until the `slot`-th slot to free (0: the soonest) is free. */
export function slotFreeDelayMs(meanRunMs: number, slots: number, runningElapsedMs: readonly (number | null)[], slot: number): number {
  const remaining = runningElapsedMs
    .map((elapsed) => (elapsed === null ? meanRunMs / 2 : Math.min(Math.max(meanRunMs - elapsed, 0), meanRunMs)))
    .sort((a, b) => a - b);
  // More attempts running than there are slots (a worker left, its attempts not yet swept
  // as stalled): the slots that exist are the ones that free first.
  const busy = remaining.slice(0, slots);
  const idle = slots - busy.length;
  return slot < idle ? 0 : busy[slot - idle]!;
}

/** Milliseconds from now until the job at 1-based `position` should start, rounded to the ms; null when it cannot be told. */
export function estimateStartDelayMs(load: QueueLoad, position: number): number | null {
  const { meanRunMs, slots } = load;
  if (meanRunMs === null || !Number.isFinite(meanRunMs) || meanRunMs < 0) return null;
  if (slots === null || !Number.isInteger(slots) || slots < 1) return null;
  if (!Number.isInteger(position) || position < 1) return null;
  const ahead = position - 1;
  const wave = Math.floor(ahead / slots);
  return Math.round(slotFreeDelayMs(meanRunMs, slots, load.runningElapsedMs, ahead % slots) + wave * meanRunMs);
}

/** The estimated start as a time, `now` plus the delay; null when it cannot be told. */
export function estimateStartAt(load: QueueLoad, position: number, now: Date): Date | null {
  const delay = estimateStartDelayMs(load, position);
  return delay === null ? null : new Date(now.getTime() + delay);
}
