import { z } from "zod";
import { defineJobType } from "../define-job-type.js";

/** Slide deck generation, simulated, with one progress report per slide. */
export const slidesGenerate = defineJobType({
  name: "slides.generate",
  description: "Builds a slide deck on a topic, reporting progress per slide (simulated: the slides are placeholders).",
  cost: 3,
  defaultPriority: 5,
  concurrency: 2,
  timeoutMs: 10 * 60_000,
  maxAttempts: 3,
  params: z.object({
    topic: z.string().min(1).max(500),
    slideCount: z.number().int().min(1).max(50).default(8),
  }),
});
