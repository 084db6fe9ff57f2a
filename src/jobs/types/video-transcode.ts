import { z } from "zod";
import { defineJobType } from "../define-job-type.js";
import { uploadRef } from "../upload-ref.js";

/** Heights a video can be transcoded to; never above the input's own. */
export const transcodeHeights = [360, 720, 1080] as const;

/** An uploaded video to an H.264/AAC MP4 at a chosen height, with a poster image; one at a time per worker (ffmpeg uses every core). */
export const videoTranscode = defineJobType({
  name: "video.transcode",
  description:
    "Transcodes an uploaded video to H.264/AAC MP4 (video.mp4, fast start) at the asked height, never upscaled, plus a JPEG poster (poster.jpg). Progress is the encoded time over the duration; an input that is not a video fails at once, refunded. The result holds the output's duration, width and height.",
  cost: 5,
  defaultPriority: 2,
  concurrency: 1,
  // An hour of 1080p on two cores at ffmpeg's veryfast preset takes about as long as it plays.
  timeoutMs: 90 * 60_000,
  maxAttempts: 3,
  params: z.object({
    /** The id of a complete upload of the caller's with a video/* content type. */
    video: uploadRef({ accept: ["video/*"] }),
    /** Output height in pixels; the input's own when that is smaller. */
    height: z.literal(transcodeHeights).default(720),
  }),
});
