import type { GatewayConfig } from "../app-config/define-config.js";
import type { LlmSettings } from "../llm/chat-model.js";
import type { HandlerSource } from "./handler.js";
import { demoSimulate } from "./types/demo-simulate.js";
import { slidesGenerate } from "./types/slides-generate.js";
import { speechSynthesize } from "./types/speech-synthesize.js";
import { storyGenerate } from "./types/story-generate.js";
import { videoTranscode } from "./types/video-transcode.js";

/** The example types this repository ships, served when no config file is found. */
export const builtinJobTypes = [demoSimulate, storyGenerate, slidesGenerate, speechSynthesize, videoTranscode] as const;

/** The shipped types that write with a chat model (LLM_BASE_URL). */
export const llmJobTypeNames: readonly string[] = [slidesGenerate.name, storyGenerate.name];

/** The deployment's settings the built-in types depend on. */
export interface BuiltinSettings {
  nodeEnv: string;
  /** The chat API (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL); null: none configured. */
  llm: LlmSettings | null;
}

/**
 * Why the LLM types are left out, for the start line; null when they are
 * served. Production without a chat API leaves them out (an offline text
 * must never be sold); development and test serve the offline generator.
 */
export function builtinTypesOff(settings: BuiltinSettings): string | null {
  return settings.nodeEnv === "production" && settings.llm === null ? `${llmJobTypeNames.join(" and ")} are off: LLM_BASE_URL is not set` : null;
}

/** The built-in types and their handlers for these settings: the LLM types write with the chat API, the offline generator, or are left out. */
export function makeBuiltinConfig(settings: BuiltinSettings): GatewayConfig {
  const withLlmTypes = builtinTypesOff(settings) === null;
  const handlers: Record<string, HandlerSource> = {
    "demo.simulate": () => import("./handlers/demo-simulate.js"),
    // Imported by workers only; each module makes its chat client from the settings.
    "story.generate": async () => ({ default: (await import("./handlers/story-generate.js")).makeStoryGenerateHandler(settings.llm) }),
    "slides.generate": async () => ({ default: (await import("./handlers/slides-generate.js")).makeSlidesGenerateHandler(settings.llm) }),
    "speech.synthesize": () => import("./handlers/speech-synthesize.js"),
    "video.transcode": () => import("./handlers/video-transcode.js"),
  };
  if (!withLlmTypes) for (const name of llmJobTypeNames) delete handlers[name];
  return { jobTypes: builtinJobTypes.filter((type) => withLlmTypes || !llmJobTypeNames.includes(type.name)), handlers };
}

/** The built-in types as development serves them without a chat API (the offline generator); a process starts them from its settings (makeBuiltinConfig). */
export const builtinConfig: GatewayConfig = makeBuiltinConfig({ nodeEnv: "development", llm: null });
