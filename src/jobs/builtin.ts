import type { GatewayConfig } from "../app-config/define-config.js";
import { demoSimulate } from "./types/demo-simulate.js";
import { slidesGenerate } from "./types/slides-generate.js";
import { speechSynthesize } from "./types/speech-synthesize.js";
import { storyGenerate } from "./types/story-generate.js";
import { videoTranscode } from "./types/video-transcode.js";

/** The example types this repository ships, served when no config file is found. */
export const builtinJobTypes = [demoSimulate, storyGenerate, slidesGenerate, speechSynthesize, videoTranscode] as const;

export const builtinConfig: GatewayConfig = {
  jobTypes: builtinJobTypes,
  handlers: {
    "demo.simulate": () => import("./handlers/demo-simulate.js"),
    "story.generate": () => import("./handlers/story-generate.js"),
    "slides.generate": () => import("./handlers/slides-generate.js"),
    "speech.synthesize": () => import("./handlers/speech-synthesize.js"),
    "video.transcode": () => import("./handlers/video-transcode.js"),
  },
};
