import { z } from "zod";
import { defineJobType } from "../define-job-type.js";

/** Story generation, simulated: stands where a call to a text model would be. */
export const storyGenerate = defineJobType({
  name: "story.generate",
  description: "Writes a short story from a prompt (simulated: no model is called; the text is a placeholder).",
  cost: 5,
  defaultPriority: 5,
  concurrency: 4,
  timeoutMs: 10 * 60_000,
  maxAttempts: 3,
  params: z.object({
    prompt: z.string().min(1).max(2_000),
    chapters: z.number().int().min(1).max(20).default(3),
  }),
});
