import { join } from "node:path";
import { PermanentJobError } from "../../domain/errors.js";
import { ProcessFailedError, runProcess } from "../../processes/run-process.js";
import { createFfmpegProgressParser, encodedFraction } from "./ffmpeg-progress.js";
import { fileUrl } from "./file-url.js";
import type { MediaProbe } from "./parse-probe.js";
import { probeMedia } from "./probe-media.js";

/** The binaries transcoding needs on PATH: a handler that transcodes declares them (`requires`). */
export const transcodeBinaries = ["ffmpeg", "ffprobe"] as const;

/** The code on a job's error when its input is not a video: it fails at once, refunded. */
export const notAVideoCode = "NOT_A_VIDEO";

export interface TranscodeVideoOptions {
  /** A local path to read the input from (an upload's `path`). */
  input: string;
  /** What the messages call the input (the upload's name). */
  inputName: string;
  /** The asked height; the input's own when that is smaller (never upscaled). */
  height: number;
  /** A directory of the caller's own (the attempt's `workDir`), for the outputs. */
  workDir: string;
  signal: AbortSignal;
  onProgress?: (fraction: number, message: string) => void | Promise<void>;
}

export interface TranscodedVideo {
  /** The finished MP4 (H.264/AAC, fast start) and its JPEG poster, inside `workDir`. */
  videoPath: string;
  posterPath: string;
  /** As ffprobe reads the output. */
  durationMs: number;
  width: number;
  height: number;
  hasAudio: boolean;
  source: { width: number; height: number; durationMs: number; videoCodec: string; audioCodec: string | null };
}

// Of a transcode's progress: probing, then the encode up to this, then the poster and the output's probe.
const encodeStart = 0.02;
const encodeEnd = 0.95;

/**
 * Probes the input, refusing what is not a video (PermanentJobError
 * NOT_A_VIDEO: ffprobe cannot read it, it has no video stream, or no
 * duration, as a still image), encodes it with ffmpeg to H.264/AAC MP4 at
 * min(asked, input) height with an even width, then takes a poster frame
 * from the output. Progress comes from ffmpeg's `-progress` output: encoded
 * time over the input's duration. Files are written into `workDir` only; on
 * an abort or a failure the partial ones stay for its owner to remove.
 */
export async function transcodeVideo(options: TranscodeVideoOptions): Promise<TranscodedVideo> {
  const { signal } = options;
  await options.onProgress?.(0, "probing the input");
  const probe = await probeInput(options.input, options.inputName, signal);
  const video = probe.video!;
  const durationSeconds = probe.durationSeconds!;
  // Never upscaled; H.264 in 4:2:0 needs even sides (scale's -2 keeps the width even and the aspect).
  const height = Math.max(2, Math.floor(Math.min(options.height, video.displayHeight) / 2) * 2);

  const videoPath = join(options.workDir, "video.mp4");
  const parser = createFfmpegProgressParser();
  let reported = encodeStart;
  await options.onProgress?.(encodeStart, `encoding ${height}p`);
  await runProcess(
    "ffmpeg",
    [
      ...["-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-stats_period", "0.25"],
      ...["-i", fileUrl(options.input)],
      // The probed video stream (not cover art), the first audio stream if any; no subtitles or data streams.
      ...["-map", `0:${video.index}`, "-map", "0:a:0?"],
      // ffmpeg turns a rotated input upright before this filter, so the height asked is the height shown.
      ...["-vf", `scale=-2:${height},format=yuv420p`],
      ...["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-c:a", "aac", "-b:a", "128k"],
      // The index first, so a browser starts playing before the file has downloaded; no metadata carried over
      // (a phone's location tags stay with the upload).
      ...["-movflags", "+faststart", "-map_metadata", "-1", "-max_muxing_queue_size", "1024"],
      ...["-f", "mp4", "-y", fileUrl(videoPath)],
    ],
    {
      signal,
      onStdoutLine: (line) => {
        const block = parser.push(line);
        if (!block || !options.onProgress) return;
        const fraction = encodeStart + (encodeEnd - encodeStart) * encodedFraction(block.outTimeUs, durationSeconds);
        if (fraction < reported + 0.005) return;
        reported = fraction;
        // Not awaited (a stream callback): the runtime coalesces reports and keeps their order.
        Promise.resolve(options.onProgress(fraction, `encoding ${height}p`)).catch(() => {});
      },
    },
  );

  await options.onProgress?.(encodeEnd, "taking the poster frame");
  const output = await probeMedia(videoPath, signal);
  if (!output.video || output.durationSeconds === null) throw new Error("ffmpeg wrote an MP4 without a readable video stream");
  const posterPath = join(options.workDir, "poster.jpg");
  // A tenth of the way in (at most 10 s): past a fade from black, yet early enough to say what the video is.
  const posterAt = Math.min(output.durationSeconds * 0.1, 10);
  await runProcess(
    "ffmpeg",
    ["-hide_banner", "-nostdin", "-loglevel", "error", "-ss", posterAt.toFixed(3), "-i", fileUrl(videoPath), "-frames:v", "1", "-q:v", "3", "-f", "image2", "-update", "1", "-y", fileUrl(posterPath)],
    { signal },
  );
  await options.onProgress?.(0.98, "encoded");
  return {
    videoPath,
    posterPath,
    durationMs: Math.round(output.durationSeconds * 1000),
    width: output.video.displayWidth,
    height: output.video.displayHeight,
    hasAudio: output.audio !== null,
    source: {
      width: video.displayWidth,
      height: video.displayHeight,
      durationMs: Math.round(durationSeconds * 1000),
      videoCodec: video.codec,
      audioCodec: probe.audio?.codec ?? null,
    },
  };
}

async function probeInput(path: string, name: string, signal: AbortSignal): Promise<MediaProbe> {
  const notAVideo = (why: string, cause?: unknown) => new PermanentJobError(`${name} is not a video: ${why}`, { code: notAVideoCode, cause });
  let probe: MediaProbe;
  try {
    probe = await probeMedia(path, signal);
  } catch (error) {
    // ffprobe ran and refused the file: another attempt reads the same bytes. A missing ffprobe, a kill or an abort is not the input's fault.
    if (error instanceof ProcessFailedError && error.exitCode !== null) {
      // ffprobe names the file it read: the user sees their upload's name, not where the worker keeps it.
      const said = error.stderrTail.replaceAll(fileUrl(path), name).replaceAll(path, name);
      throw notAVideo(`ffprobe cannot read it (${said || `exit code ${error.exitCode}`})`, error);
    }
    if (error instanceof ProcessFailedError || signal.aborted) throw error;
    throw notAVideo((error as Error).message, error);
  }
  if (!probe.video) throw notAVideo(probe.audio ? "it has audio but no video stream" : "it has no video stream");
  if (probe.durationSeconds === null) throw notAVideo("it has no duration (a still image?)");
  return probe;
}
