import { z } from "zod";
import { defineJobType } from "../define-job-type.js";

/** A story from a chat model, streamed to subscribers as it is written. */
export const storyGenerate = defineJobType({
  name: "story.generate",
  description:
    "Writes a short story in Markdown with the configured chat model (LLM_BASE_URL; an offline generator in development without one), streamed as it is written: " +
    "follow it with Job.output and the jobOutput subscription. Progress by chapter. Artifact: story.md, the streamed text.",
  cost: 5,
  defaultPriority: 5,
  concurrency: 4,
  timeoutMs: 10 * 60_000,
  maxAttempts: 3,
  params: z.object({
    prompt: z.string().min(1).max(2_000),
    chapters: z.number().int().min(1).max(20).default(3),
    /** The language to write in, as a language tag ("en", "de", "pt-br"). */
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, "must be a language tag such as en, de or pt-br")
      .default("en"),
  }),
});
