import { z } from "zod";
import { defineJobType } from "../define-job-type.js";

export const msPerSentence = 200;

export const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+/).filter(Boolean);

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
});
