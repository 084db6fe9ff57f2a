import { open, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runProcess } from "../../processes/run-process.js";
import { createFfmpegProgressParser, encodedFraction } from "./ffmpeg-progress.js";
import { fileUrl } from "./file-url.js";
import { probeMedia } from "./probe-media.js";
import { splitSentences } from "./sentences.js";
import { speechFormats, type SpeechFormat, type SpeechVariant, type SpeechVoice } from "./speech-options.js";

/** The binaries speech needs on PATH: a handler that speaks declares them (`requires`). */
export const speechBinaries = ["espeak-ng", "ffmpeg", "ffprobe"] as const;

export interface SynthesizeSpeechOptions {
  text: string;
  voice: SpeechVoice;
  variant?: SpeechVariant;
  /** Words per minute (espeak-ng's 80–450). */
  speed: number;
  format: SpeechFormat;
  /** A directory of the caller's own (the attempt's `workDir`); several syntheses may share it. */
  workDir: string;
  /** Ends espeak-ng or ffmpeg, whichever runs, and rejects with its reason. */
  signal: AbortSignal;
  /** Progress of this synthesis (0..1): sentences spoken, then the encode. */
  onProgress?: (fraction: number, message: string) => void | Promise<void>;
}

export interface SynthesizedSpeech {
  /** The finished audio file, inside `workDir`. */
  path: string;
  format: SpeechFormat;
  contentType: string;
  /** The audio's length as ffprobe reads it. */
  durationMs: number;
  sentences: number;
}

// Of a synthesis's progress, the sentences take this share and the encode the rest.
const speakingShare = 0.9;

const encoderArgs: Record<SpeechFormat, string[]> = {
  // Opus codes at 48 kHz; espeak-ng speaks at 22.05 kHz, so the resampler runs here rather than guessing in the encoder.
  ogg: ["-c:a", "libopus", "-b:a", "48k", "-ar", "48000", "-f", "ogg"],
  mp3: ["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"],
};

/**
 * Speaks `text` with espeak-ng one sentence at a time (a WAV file each), then
 * joins and encodes them with ffmpeg into one file. Only the finished file is
 * returned; the sentences' files are removed as soon as it is written. On an
 * abort or a failure the partial files stay in `workDir` for its owner to
 * remove (the runtime removes an attempt's work directory when it ends).
 */
export async function synthesizeSpeech(options: SynthesizeSpeechOptions): Promise<SynthesizedSpeech> {
  const { signal } = options;
  const sentences = splitSentences(options.text);
  if (sentences.length === 0) throw new Error("the text has nothing to say (no letter or digit)");
  const dir = await mkdtemp(join(options.workDir, "speech-"));
  const voice = options.variant ? `${options.voice}+${options.variant}` : options.voice;
  const files: string[] = [];
  for (const [index, sentence] of sentences.entries()) {
    const file = `sentence-${String(index + 1).padStart(5, "0")}.wav`;
    // The sentence on stdin, never in argv: a text starting with "-" is not an option, and no length limit applies.
    await runProcess("espeak-ng", ["--stdin", "-b", "1", "-v", voice, "-s", String(options.speed), "-w", join(dir, file)], { input: sentence, signal });
    files.push(file);
    await options.onProgress?.(((index + 1) / sentences.length) * speakingShare, `sentence ${index + 1} of ${sentences.length}`);
  }

  // The concat demuxer's list: plain relative names, which its safe mode accepts.
  await writeFile(join(dir, "sentences.txt"), files.map((file) => `file '${file}'\n`).join(""));
  const seconds = await wavSeconds(dir, files);
  const { extension, contentType } = speechFormats[options.format];
  const output = join(dir, `speech.${extension}`);
  const parser = createFfmpegProgressParser();
  let reported = speakingShare;
  await runProcess(
    "ffmpeg",
    ["-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-f", "concat", "-i", fileUrl(join(dir, "sentences.txt")), "-map_metadata", "-1", ...encoderArgs[options.format], "-y", fileUrl(output)],
    {
      signal,
      onStdoutLine: (line) => {
        const block = parser.push(line);
        if (!block || !options.onProgress) return;
        const fraction = speakingShare + (1 - speakingShare) * encodedFraction(block.outTimeUs, seconds);
        // Not awaited (a stream callback): the runtime coalesces reports and keeps their order.
        if (fraction > reported + 0.005) Promise.resolve(options.onProgress((reported = fraction), "encoding")).catch(() => {});
      },
    },
  );
  await Promise.all(files.map((file) => rm(join(dir, file), { force: true })));
  const probe = await probeMedia(output, signal);
  if (!probe.audio || probe.durationSeconds === null) throw new Error(`ffmpeg wrote ${output} without a readable audio stream`);
  await options.onProgress?.(1, "encoded");
  return { path: output, format: options.format, contentType, durationMs: Math.round(probe.durationSeconds * 1000), sentences: sentences.length };
}

/** The spoken length of espeak-ng's WAV files, from their sizes and the first one's byte rate: the encode's total. */
async function wavSeconds(dir: string, files: string[]): Promise<number | null> {
  const header = Buffer.alloc(44);
  const handle = await open(join(dir, files[0]!), "r");
  try {
    await handle.read(header, 0, 44, 0);
  } finally {
    await handle.close();
  }
  // A canonical 44-byte RIFF header, as espeak-ng writes: the byte rate at offset 28.
  if (header.toString("ascii", 0, 4) !== "RIFF" || header.toString("ascii", 8, 12) !== "WAVE") return null;
  const byteRate = header.readUInt32LE(28);
  if (byteRate === 0) return null;
  const sizes = await Promise.all(files.map(async (file) => (await stat(join(dir, file))).size - 44));
  return sizes.reduce((sum, size) => sum + Math.max(0, size), 0) / byteRate;
}
