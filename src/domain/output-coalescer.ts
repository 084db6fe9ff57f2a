export interface OutputCoalescerOptions {
  /** Least time between the starts of two writes. */
  minIntervalMs: number;
  /**
   * Writes `text` at character `offset` of the output. Resolves true once
   * written, false when the writer may write no more (its attempt no longer
   * holds the job): everything after is dropped. A rejection keeps the text,
   * to be written again, at the same offset, with what followed it.
   */
  write: (offset: number, text: string) => Promise<boolean>;
  /** Told of each failed write (its text is kept). */
  onError?: (error: unknown) => void;
  now?: () => number;
}

/** Least wait after a failed write before the next try, whatever `minIntervalMs` says. */
export const retryAfterErrorMs = 1_000;

/**
 * Bounds the writes of a stream of text: what is appended within
 * `minIntervalMs` of the last write goes out together in the next one, so a
 * model streaming tokens costs a few writes a second, not one per token.
 * One write is in flight at a time and each starts where the last ended, so
 * the offsets tile the text with no gap and no overlap. A trailing high
 * surrogate waits for its pair (a chunk never ends in half a character),
 * except in `flush()`, which writes everything now and resolves once it is
 * written (or rejects with the write's error, the text kept).
 */
export function createOutputCoalescer(options: OutputCoalescerOptions) {
  const now = options.now ?? Date.now;
  let pending = "";
  /** Where `pending` starts in the output: the end of what is written. */
  let written = 0;
  let notBefore = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let closed = false;

  const ready = (final: boolean) => (final || !endsInHalfACharacter(pending) ? pending : pending.slice(0, -1));

  const writeOnce = async (final: boolean): Promise<void> => {
    const text = ready(final);
    if (text === "") return;
    pending = pending.slice(text.length);
    notBefore = now() + options.minIntervalMs;
    let held: boolean;
    try {
      held = await options.write(written, text);
    } catch (error) {
      pending = text + pending;
      notBefore = now() + Math.max(options.minIntervalMs, retryAfterErrorMs);
      throw error;
    }
    if (!held) {
      closed = true;
      pending = "";
      return;
    }
    written += text.length;
  };

  const start = (final: boolean): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const write = writeOnce(final).finally(() => {
      inFlight = null;
    });
    inFlight = write;
    write.then(schedule, (error: unknown) => {
      options.onError?.(error);
      schedule();
    });
    return write;
  };

  function schedule(): void {
    if (closed || inFlight || timer || ready(false) === "") return;
    const wait = notBefore - now();
    if (wait <= 0) void start(false).catch(() => {});
    else timer = setTimeout(() => ((timer = null), schedule()), wait);
  }

  return {
    append(text: string): void {
      if (closed || text === "") return;
      pending += text;
      schedule();
    },
    /** Writes everything appended so far; resolves once it is written (or the writer was fenced out). */
    async flush(): Promise<void> {
      for (;;) {
        if (inFlight) {
          await inFlight.catch(() => {});
          continue;
        }
        if (closed || pending === "") return;
        await start(true);
      }
    },
    /** Drops what waits and writes nothing more (the attempt is over). */
    discard(): void {
      closed = true;
      pending = "";
      if (timer) clearTimeout(timer);
      timer = null;
    },
    /** Characters written so far (the offset the next write starts at). */
    get written(): number {
      return written;
    },
  };
}

function endsInHalfACharacter(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}
