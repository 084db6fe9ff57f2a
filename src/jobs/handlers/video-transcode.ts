import { createReadStream } from "node:fs";
import { defineHandler } from "../handler.js";
import { transcodeBinaries, transcodeVideo } from "../media/transcode-video.js";
import { videoTranscode } from "../types/video-transcode.js";

export default defineHandler(
  videoTranscode,
  async ({ params, signal, progress, workDir, uploads, artifacts }) => {
    const upload = await uploads.open(params.video);
    const video = await transcodeVideo({ input: upload.path, inputName: upload.name, height: params.height, workDir, signal, onProgress: progress });
    // Only complete files become artifacts; an attempt aborted meanwhile leaves its files to the work directory's removal.
    signal.throwIfAborted();
    const mp4 = await artifacts.write("video.mp4", createReadStream(video.videoPath), { contentType: "video/mp4" });
    const poster = await artifacts.write("poster.jpg", createReadStream(video.posterPath), { contentType: "image/jpeg" });
    await progress(1, "done");
    return {
      durationMs: video.durationMs,
      width: video.width,
      height: video.height,
      requestedHeight: params.height,
      hasAudio: video.hasAudio,
      source: video.source,
      artifacts: { video: mp4.id, poster: poster.id },
    };
  },
  { requires: transcodeBinaries },
);
