import { z } from "zod";
import { defineJobType } from "./define-job-type.js";
import { sleep } from "./sleep.js";

const msPerSentence = 200;

const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+/).filter(Boolean);

/** Text-to-speech, simulated; limited to 2 at a time per worker, as a real voice engine would be. */
export const speechSynthesize = defineJobType({
  name: "speech.synthesize",
  description: "Turns text into speech (simulated: returns the audio's would-be length, no audio).",
  cost: 2,
  defaultPriority: 3,
  concurrency: 2,
  timeoutMs: 5 * 60_000,
  maxAttempts: 3,
  params: z.object({
    text: z.string().min(1).max(10_000),
    voice: z.enum(["alloy", "verse", "sage"]).default("alloy"),
  }),
  // 10,000 characters of one-word sentences would take longer than the timeout.
  estimateMs: (params) => sentencesOf(params.text).length * msPerSentence,
  async run({ params, signal, progress }) {
    const sentences = sentencesOf(params.text);
    for (let index = 1; index <= sentences.length; index++) {
      await sleep(msPerSentence, signal);
      await progress(index / sentences.length, `sentence ${index} of ${sentences.length}`);
    }
    // About 15 characters a second of speech.
    return { voice: params.voice, durationMs: Math.round((params.text.length / 15) * 1000), simulated: true };
  },
});
