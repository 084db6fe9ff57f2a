import { setTimeout as sleep } from "node:timers/promises";
import { defineHandler } from "job-gateway";
import { storyOutline } from "../jobs/story-outline.js";

const beats = ["an ordinary day", "a call to adventure", "a hard choice", "a reversal", "the darkest hour", "a way home"];

// Loaded by workers only: a gateway never imports this module.
export default defineHandler(storyOutline, async ({ params, signal, progress, log }) => {
  const chapters: { number: number; title: string }[] = [];
  for (let number = 1; number <= params.chapters; number++) {
    // The signal aborts on cancel, timeout and shutdown: pass it to whatever waits.
    await sleep(params.msPerChapter, undefined, { signal });
    chapters.push({ number, title: `${params.premise}: ${beats[(number - 1) % beats.length]}` });
    await progress(number / params.chapters, `chapter ${number} of ${params.chapters} outlined`);
  }
  log.info({ chapters: chapters.length }, "outline ready");
  return { premise: params.premise, chapters };
});
