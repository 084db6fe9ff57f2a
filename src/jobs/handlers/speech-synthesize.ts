import { defineHandler } from "../handler.js";
import { sleep } from "../sleep.js";
import { msPerSentence, sentencesOf, speechSynthesize } from "../types/speech-synthesize.js";

export default defineHandler(speechSynthesize, async ({ params, signal, progress }) => {
  const sentences = sentencesOf(params.text);
  for (let index = 1; index <= sentences.length; index++) {
    await sleep(msPerSentence, signal);
    await progress(index / sentences.length, `sentence ${index} of ${sentences.length}`);
  }
  // About 15 characters a second of speech.
  return { voice: params.voice, durationMs: Math.round((params.text.length / 15) * 1000), simulated: true };
});
