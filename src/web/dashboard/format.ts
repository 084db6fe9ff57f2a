/**
 * Pure text helpers for times, progress and credits. Every function takes
 * `now` (ms since the epoch) instead of reading the clock, so the page can
 * tick them and tests can pin them.
 */

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

const pad2 = (n: number) => String(n).padStart(2, "0");

/** A duration as a stopwatch would say it: "0 s", "42 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / second));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes} min ${pad2(total % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${pad2(minutes % 60)} min`;
}

/** A rough span for estimates: "~12 s", "~3 min", "~2 h", "~4 d" (never below 1 s). */
export function formatApproximate(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < minute) return `~${Math.max(1, Math.round(abs / second))} s`;
  if (abs < hour) return `~${Math.round(abs / minute)} min`;
  if (abs < day) return `~${Math.round(abs / hour)} h`;
  return `~${Math.round(abs / day)} d`;
}

const timeOf = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
};

/** How long a job has run (first start to finish, or to now while unfinished); null before it started. */
export function elapsedMs(job: { startedAt?: string | null; finishedAt?: string | null }, now: number): number | null {
  const started = timeOf(job.startedAt);
  if (started === null) return null;
  return Math.max(0, (timeOf(job.finishedAt) ?? now) - started);
}

/** "in ~12 s", "~3 min ago", "just now" (within a second either way). */
export function relativeTime(iso: string, now: number): string {
  const at = timeOf(iso);
  if (at === null) return "";
  const delta = at - now;
  if (Math.abs(delta) < second) return "just now";
  return delta > 0 ? `in ${formatApproximate(delta)}` : `${formatApproximate(delta)} ago`;
}

/** "`prefix` ~12 s" before `iso`, `due` from a second before it on; null when unknown. */
function untilText(iso: string | null | undefined, now: number, prefix: string, due: string): string | null {
  const at = timeOf(iso);
  if (at === null) return null;
  return at - now < second ? due : `${prefix} ${formatApproximate(at - now)}`;
}

/** A QUEUED job's estimate: "starts in ~12 s", "should start any moment" once due; null when unknown. */
export const startsIn = (estimatedStartAt: string | null | undefined, now: number) => untilText(estimatedStartAt, now, "starts in", "should start any moment");

/** A RETRYING job's next attempt: "next attempt in ~3 s", "next attempt due now"; null when unknown. */
export const nextAttemptIn = (nextAttemptAt: string | null | undefined, now: number) => untilText(nextAttemptAt, now, "next attempt in", "next attempt due now");

/** Progress 0..1 as a whole percentage, clamped; 99.6 % shows as 99 until the job says 1. */
export function percent(progress: number): number {
  if (!Number.isFinite(progress)) return 0;
  return Math.min(100, Math.max(0, Math.floor(progress * 100 + 1e-9)));
}

export const credits = (n: number) => `${n} ${Math.abs(n) === 1 ? "credit" : "credits"}`;

/** An ordinal queue place, 1-based: "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

/** Any JSON value for a <pre>: pretty, and bounded so a huge result cannot freeze the page. */
export function formatJson(value: unknown, maxChars = 20_000): string {
  const text = JSON.stringify(value, null, 2) ?? "null";
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n… (${text.length - maxChars} more characters)` : text;
}

/** What a caught value says: an Error's message, else the value as text. */
export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A short form of an id for people: its first 8 characters. */
export const shortId = (id: string) => id.slice(0, 8);

/** A size in bytes for people: "512 B", "3.4 KiB", "12.0 MiB", "1.50 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit >= 2 ? 2 : 1)} ${units[unit]}`;
}
