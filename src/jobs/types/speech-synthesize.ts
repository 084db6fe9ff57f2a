import { z } from "zod";
import { defineJobType } from "../define-job-type.js";
import { hasSpeech, splitSentences } from "../media/sentences.js";
import { speechFormatNames, speechSpeed, speechVariants, speechVoices } from "../media/speech-options.js";

/** Text-to-speech with espeak-ng, encoded by ffmpeg; limited to 2 at a time per worker. */
export const speechSynthesize = defineJobType({
  name: "speech.synthesize",
  description:
    "Speaks a text with espeak-ng, one sentence at a time (progress per sentence), and writes the audio as an artifact: Ogg Opus (speech.ogg) or MP3 (speech.mp3). The result holds its duration.",
  cost: 2,
  defaultPriority: 3,
  concurrency: 2,
  timeoutMs: 5 * 60_000,
  maxAttempts: 3,
  params: z.object({
    text: z.string().trim().min(1).max(10_000).refine(hasSpeech, "must contain a letter or a digit: there is nothing to say"),
    /** An espeak-ng language voice. */
    voice: z.enum(speechVoices).default("en-us"),
    /** An espeak-ng voice variant (male m1–m7, female f1–f5, croak, whisper); the language's own voice without it. */
    variant: z.enum(speechVariants).optional(),
    /** Words per minute. */
    speed: z.number().int().min(speechSpeed.min).max(speechSpeed.max).default(speechSpeed.default),
    format: z.enum(speechFormatNames).default("ogg"),
  }),
  // A floor measured on an idle 2-core machine: an espeak-ng start per sentence, then the encode, which grows with the
  // audio's length (about 15 characters a second at 175 words per minute). The longest text at the slowest speed stays
  // well under the timeout: every valid text is accepted.
  estimateMs: (params) => {
    const audioSeconds = (params.text.length / 15) * (speechSpeed.default / params.speed);
    return splitSentences(params.text).length * 10 + Math.round(audioSeconds * 10);
  },
});
