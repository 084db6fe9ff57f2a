/**
 * Queue controls: what an operator sets per job type, at run time, in the
 * `job_type_settings` row of the type (no row: nothing set).
 * - paused: workers take no new delivery of the type; attempts already
 *   running finish; its messages wait in the queue.
 * - concurrency: attempts of the type at once per worker process (and the
 *   consumer's prefetch); null means the type's own `concurrency`.
 * Workers re-read the rows every QUEUE_CONTROLS_POLL_MS (and at once on a
 * NOTIFY), so a change applies within seconds, without a restart.
 */

/** The most attempts of one type a worker process may run at once. */
export const maxConcurrency = 1_000;

/** What a worker applies to one job type. */
export interface QueueControl {
  paused: boolean;
  /** Attempts at once per worker process: the setting, or the type's own. */
  concurrency: number;
}

/** An operator's row for a type, as stored. */
export interface QueueControlSetting {
  type: string;
  paused: boolean;
  concurrency: number | null;
}

/** Why `concurrency` cannot be set, or null when it can (null itself: back to the type's default). */
export function concurrencyProblem(concurrency: number | null): string | null {
  if (concurrency === null) return null;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > maxConcurrency) {
    return `concurrency must be a whole number from 1 to ${maxConcurrency} (got ${concurrency}); omit it or pass null for the type's default`;
  }
  return null;
}

/** The control of one type: its setting (when there is one) over its defaults. */
export function effectiveQueueControl(defaultConcurrency: number, setting: Omit<QueueControlSetting, "type"> | undefined): QueueControl {
  // A row written by hand may hold anything: it is kept within what a consumer accepts.
  const wanted = setting?.concurrency ?? defaultConcurrency;
  return { paused: setting?.paused ?? false, concurrency: Math.min(Math.max(Math.trunc(wanted), 1), maxConcurrency) };
}

/** The control of every type of `types`; settings of types not in the list are ignored. */
export function effectiveQueueControls(
  types: readonly { name: string; concurrency: number }[],
  settings: readonly QueueControlSetting[],
): Map<string, QueueControl> {
  const byType = new Map(settings.map((setting) => [setting.type, setting]));
  return new Map(types.map((type) => [type.name, effectiveQueueControl(type.concurrency, byType.get(type.name))]));
}
