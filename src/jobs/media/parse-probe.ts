import { z } from "zod";

/** What ffprobe says of a file, reduced to what the media job types decide with. */
export interface MediaProbe {
  /** ffprobe's format name ("mov,mp4,m4a,3gp,3g2,mj2", "ogg", …). */
  formatName: string;
  /** Null when the container does not say (a still image, a stream without an index). */
  durationSeconds: number | null;
  /** The first video stream that is not an attached picture (cover art); null when there is none. */
  video: {
    /** The stream's index in the file (`-map 0:<index>`). */
    index: number;
    codec: string;
    /** As stored. */
    width: number;
    height: number;
    /** Degrees a player turns the picture (0, 90, 180 or 270) by the display matrix or the `rotate` tag; 90 and 270 swap width and height. */
    rotation: number;
    /** As a player shows it, the rotation applied. */
    displayWidth: number;
    displayHeight: number;
  } | null;
  /** The first audio stream; null when there is none. */
  audio: { codec: string; sampleRate: number | null; channels: number | null } | null;
}

const numeric = z.union([z.string(), z.number()]).optional();

const probeJson = z.object({
  streams: z
    .array(
      z.object({
        index: z.number().int().min(0),
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        sample_rate: numeric,
        channels: z.number().optional(),
        duration: numeric,
        disposition: z.record(z.string(), z.number()).optional(),
        tags: z.record(z.string(), z.string()).optional(),
        side_data_list: z.array(z.record(z.string(), z.unknown())).optional(),
      }),
    )
    .default([]),
  format: z.object({ format_name: z.string().default(""), duration: numeric }).optional(),
});

/**
 * Reads `ffprobe -print_format json -show_format -show_streams` output.
 * Throws on output that is not ffprobe's JSON (an empty object, as ffprobe
 * prints for a file it cannot read, has no format and is refused too).
 */
export function parseProbe(json: string): MediaProbe {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error("ffprobe's output is not JSON");
  }
  const parsed = probeJson.safeParse(raw);
  if (!parsed.success) throw new Error(`ffprobe's output has an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const { streams, format } = parsed.data;
  if (!format) throw new Error("ffprobe found no container format");
  const videoStream = streams.find((stream) => stream.codec_type === "video" && !stream.disposition?.attached_pic && stream.width && stream.height);
  const audioStream = streams.find((stream) => stream.codec_type === "audio");
  const durations = [format.duration, videoStream?.duration, audioStream?.duration].map(positive);
  let video: MediaProbe["video"] = null;
  if (videoStream) {
    const rotation = rotationOf(videoStream);
    const quarter = rotation === 90 || rotation === 270;
    const width = videoStream.width!;
    const height = videoStream.height!;
    video = { index: videoStream.index, codec: videoStream.codec_name ?? "unknown", width, height, rotation, displayWidth: quarter ? height : width, displayHeight: quarter ? width : height };
  }
  return {
    formatName: format.format_name,
    durationSeconds: durations.find((duration) => duration !== null) ?? null,
    video,
    audio: audioStream ? { codec: audioStream.codec_name ?? "unknown", sampleRate: positive(audioStream.sample_rate), channels: audioStream.channels ?? null } : null,
  };
}

function positive(value: string | number | undefined): number | null {
  const parsed = typeof value === "string" ? Number(value) : value;
  return parsed !== undefined && Number.isFinite(parsed) && parsed > 0 ? parsed : null;
}

function rotationOf(stream: { tags?: Record<string, string>; side_data_list?: Record<string, unknown>[] }): number {
  // ffprobe 5+ reports a display matrix's rotation; older ones a rotate tag. Phones write either sign for the same turn.
  const matrix = stream.side_data_list?.find((side) => typeof side.rotation === "number");
  const degrees = matrix ? (matrix.rotation as number) : Number(stream.tags?.rotate ?? 0);
  if (!Number.isFinite(degrees)) return 0;
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
}
