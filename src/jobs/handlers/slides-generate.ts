import { defineHandler } from "../handler.js";
import { sleep } from "../sleep.js";
import { slidesGenerate } from "../types/slides-generate.js";

export default defineHandler(slidesGenerate, async ({ params, signal, progress }) => {
  const slides: { title: string; bullets: string[] }[] = [];
  for (let index = 1; index <= params.slideCount; index++) {
    await sleep(250, signal);
    slides.push({ title: `${params.topic}: part ${index}`, bullets: [`simulated point ${index}.1`, `simulated point ${index}.2`] });
    await progress(index / params.slideCount, `slide ${index} of ${params.slideCount}`);
  }
  return { topic: params.topic, slides, simulated: true };
});
