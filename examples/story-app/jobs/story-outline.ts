import { defineJobType, z } from "job-gateway";

/** The contract: all a gateway needs to know of the type. The handler lives apart (handlers/). */
export const storyOutline = defineJobType({
  name: "story.outline",
  description: "Outlines a story, one chapter at a time.",
  cost: 2,
  concurrency: 2,
  timeoutMs: 60_000,
  maxAttempts: 3,
  params: z.object({
    premise: z.string().min(1).max(500),
    chapters: z.number().int().min(1).max(12).default(4),
    msPerChapter: z.number().int().min(0).max(5_000).default(300),
  }),
  estimateMs: (params) => params.chapters * params.msPerChapter,
});
