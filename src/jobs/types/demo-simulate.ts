import { z } from "zod";
import { defineJobType } from "../define-job-type.js";

/** A job whose behaviour is set by its params; for tests and demos. */
export const demoSimulate = defineJobType({
  name: "demo.simulate",
  description:
    "Simulated work for tests and demos: `steps` progress reports `stepMs` apart, fails its first `failTimes` attempts, then returns `result`.",
  cost: 1,
  maxAttempts: 3,
  backoffMs: [100, 200],
  concurrency: 4,
  timeoutMs: 60_000,
  developmentOnly: true,
  params: z.object({
    steps: z.number().int().min(0).max(1000).default(0),
    stepMs: z.number().int().min(0).max(60_000).default(0),
    failTimes: z.number().int().min(0).max(100).default(0),
    result: z.json().default(null),
  }),
  // Steps alone, progress writes aside: params that reach the timeout would time out on every attempt.
  estimateMs: (params) => params.steps * params.stepMs,
});
