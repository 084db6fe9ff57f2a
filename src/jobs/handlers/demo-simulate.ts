import { defineHandler } from "../handler.js";
import { sleep } from "../sleep.js";
import { demoSimulate } from "../types/demo-simulate.js";

export default defineHandler(demoSimulate, async ({ params, attempt, signal, progress }) => {
  for (let step = 1; step <= params.steps; step++) {
    await sleep(params.stepMs, signal);
    await progress(step / params.steps, `step ${step} of ${params.steps}`);
  }
  if (attempt <= params.failTimes) throw new Error(`simulated failure on attempt ${attempt}`);
  return params.result;
});
