import { execFile, execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Sql } from "../../src/db/client.js";

const run = promisify(execFile);

/** What ffprobe reads of a file, straight from its JSON (not through the code under test). */
export async function ffprobe(path: string) {
  const { stdout } = await run("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path]);
  const probe = JSON.parse(stdout) as {
    format: { format_name: string; duration?: string };
    streams: { codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string }[];
  };
  return {
    formatName: probe.format.format_name,
    durationSeconds: Number(probe.format.duration),
    streams: probe.streams,
    video: probe.streams.find((stream) => stream.codec_type === "video"),
    audio: probe.streams.find((stream) => stream.codec_type === "audio"),
  };
}

/** A video of the size and length asked, as the issue makes one: ffmpeg's test pattern and a sine tone, H.264/AAC MP4. */
export async function makeVideoFile(path: string, options: { seconds: number; width: number; height: number }): Promise<string> {
  const { seconds, width, height } = options;
  await run("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y"],
    ...["-f", "lavfi", "-i", `testsrc=duration=${seconds}:size=${width}x${height}:rate=25`, "-f", "lavfi", "-i", `sine=duration=${seconds}`],
    ...["-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", path],
  ]);
  return path;
}

/** Downloads an artifact through its signed link into `dir`; the file's path. */
export async function downloadArtifact(url: string, dir: string, name: string): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  const path = join(dir, name);
  await writeFile(path, Buffer.from(await response.arrayBuffer()));
  return path;
}

/**
 * The espeak-ng, ffmpeg and ffprobe processes of a job running now: an
 * attempt's work directory (`job-<id>-…`) is in each one's arguments.
 */
export function mediaProcessesOf(jobId: string): { pid: number; pgid: number; args: string }[] {
  return execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && match[3]!.includes(jobId) && /^(\S*\/)?(espeak-ng|ffmpeg|ffprobe)\s/.test(match[3]!))
    .map((match) => ({ pid: Number(match![1]), pgid: Number(match![2]), args: match![3]! }));
}

/** Every artifact row of a job, whatever its attempt or status. */
export function artifactRowsOf(sql: Sql, jobId: string) {
  return sql<{ name: string; attempt: number; status: string }[]>`select name, attempt, status from artifacts where job_id = ${jobId} order by attempt, name`;
}

/** The top-level boxes of an MP4 file, in order ("ftyp", "moov", "mdat", …): fast start puts moov before mdat. */
export async function mp4Boxes(path: string): Promise<string[]> {
  const data = await readFile(path);
  const boxes: string[] = [];
  for (let at = 0; at + 8 <= data.length; ) {
    let size = data.readUInt32BE(at);
    boxes.push(data.toString("latin1", at + 4, at + 8));
    if (size === 1) size = Number(data.readBigUInt64BE(at + 8));
    if (size === 0) break;
    at += size;
  }
  return boxes;
}
