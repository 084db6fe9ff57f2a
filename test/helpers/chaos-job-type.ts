import { appendFileSync } from "node:fs";
import { z } from "zod";
import { defineTestJobType } from "./job-types.js";
import { sleep } from "../../src/jobs/sleep.js";

/**
 * A job whose completion has a side effect outside the database: a line in
 * the file named by CHAOS_EFFECTS_FILE ("jobId attempt pid"). Counting lines
 * per job tells how many times a handler really completed it, and where.
 */
export const chaosWork = defineTestJobType({
  name: "chaos.work",
  description: "test: steps of work, random failures, a side effect on completion",
  cost: 1,
  maxAttempts: 4,
  backoffMs: [50, 100, 200],
  concurrency: 4,
  // Far above an attempt's work (at most 8 steps of 90 ms), and short: a SIGKILLed worker's
  // jobs are taken over once their heartbeat is older than this plus STALLED_GRACE_MS.
  timeoutMs: 5_000,
  params: z.object({ steps: z.number().int().min(0), stepMs: z.number().int().min(0), failTimes: z.number().int().min(0) }),
  async run({ jobId, attempt, params, signal, progress }) {
    for (let step = 1; step <= params.steps; step++) {
      await sleep(params.stepMs, signal);
      await progress(step / params.steps);
    }
    if (attempt <= params.failTimes) throw new Error(`chaos failure on attempt ${attempt}`);
    if (signal.aborted) throw signal.reason;
    appendFileSync(process.env.CHAOS_EFFECTS_FILE!, `${jobId} ${attempt} ${process.pid}\n`);
    return { attempt };
  },
});
