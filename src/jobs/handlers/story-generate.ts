import { defineHandler } from "../handler.js";
import { sleep } from "../sleep.js";
import { storyGenerate } from "../types/story-generate.js";

export default defineHandler(storyGenerate, async ({ params, signal, progress }) => {
  const chapters: string[] = [];
  for (let chapter = 1; chapter <= params.chapters; chapter++) {
    await sleep(400, signal);
    chapters.push(`Chapter ${chapter}: a simulated chapter about "${params.prompt}".`);
    await progress(chapter / params.chapters, `chapter ${chapter} of ${params.chapters} written`);
  }
  return { title: `A story about ${params.prompt.slice(0, 60)}`, chapters, simulated: true };
});
