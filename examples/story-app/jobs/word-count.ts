import { defineJobType, z } from "job-gateway";

/** Served by the Python endpoint of examples/http-handler-python: the contract is all the gateway needs. */
export const wordCount = defineJobType({
  name: "text.word-count",
  description: "Counts the words of a text (a handler in Python, over HTTP).",
  cost: 1,
  timeoutMs: 30_000,
  maxAttempts: 3,
  backoffMs: [500, 2_000],
  params: z.object({
    text: z.string().min(1).max(100_000),
    steps: z.number().int().min(1).max(20).default(3),
  }),
});
