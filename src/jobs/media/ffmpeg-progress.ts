/**
 * One block of `ffmpeg -progress pipe:1`: key=value lines ending with
 * `progress=continue` (or `progress=end` at the last one). Only the keys a
 * progress bar needs are kept.
 */
export interface FfmpegProgress {
  /** Output time encoded so far, in microseconds; null while ffmpeg does not know it yet ("N/A"). */
  outTimeUs: number | null;
  /** Frames encoded so far; null for audio-only output. */
  frame: number | null;
  /** Encoding speed as a multiple of real time ("1.5x" → 1.5); null while unknown. */
  speed: number | null;
  /** True on the last block (`progress=end`). */
  end: boolean;
}

/**
 * Reads ffmpeg's machine-readable progress a line at a time and returns each
 * block once its `progress=` line arrives. Stateful (a block spans lines),
 * otherwise pure.
 */
export function createFfmpegProgressParser() {
  let block = new Map<string, string>();
  return {
    /** Feeds one line of stdout; returns the finished block, if this line ended one. */
    push(line: string): FfmpegProgress | null {
      const equals = line.indexOf("=");
      if (equals <= 0) return null;
      const key = line.slice(0, equals).trim();
      const value = line.slice(equals + 1).trim();
      if (key !== "progress") {
        block.set(key, value);
        return null;
      }
      const finished = block;
      block = new Map();
      return {
        outTimeUs: nonNegative(finished.get("out_time_us")),
        frame: nonNegative(finished.get("frame")),
        speed: speedOf(finished.get("speed")),
        end: value === "end",
      };
    },
  };
}

/** How far an encode is (0..1) once `outTimeUs` of `durationSeconds` are written; 0 while either is unknown. */
export function encodedFraction(outTimeUs: number | null, durationSeconds: number | null): number {
  if (outTimeUs === null || durationSeconds === null || !(durationSeconds > 0)) return 0;
  return Math.min(1, Math.max(0, outTimeUs / 1e6 / durationSeconds));
}

function nonNegative(value: string | undefined): number | null {
  // "N/A" before the first frame; a negative out_time_us (INT64_MIN and such) means unknown too.
  if (value === undefined || !/^-?\d+$/.test(value)) return null;
  const parsed = Number(value);
  return parsed >= 0 && Number.isSafeInteger(parsed) ? parsed : null;
}

function speedOf(value: string | undefined): number | null {
  const match = value ? /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)x$/.exec(value) : null;
  return match ? Number(match[1]) : null;
}
