import { runProcess } from "../../processes/run-process.js";
import { fileUrl } from "./file-url.js";
import { parseProbe, type MediaProbe } from "./parse-probe.js";

/** Runs ffprobe on a local file; rejects when ffprobe cannot read it (not a media file) or its answer is not its JSON. */
export async function probeMedia(path: string, signal?: AbortSignal): Promise<MediaProbe> {
  const { stdout } = await runProcess("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", fileUrl(path)], { signal });
  return parseProbe(stdout);
}
