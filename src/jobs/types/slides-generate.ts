import { z } from "zod";
import { defineJobType } from "../define-job-type.js";
import { speechFormatNames, speechVoices } from "../media/speech-options.js";

/** Slides that are spoken at once; the others wait for one of them to finish. */
export const slidesSpokenAtOnce = 3;

/** A slide deck from a chat model, each slide spoken by espeak-ng. */
export const slidesGenerate = defineJobType({
  name: "slides.generate",
  description:
    "Writes a teaching slide deck on a topic with the configured chat model (LLM_BASE_URL; an offline generator in development without one): each slide a title, bullets and a script, " +
    `then speaks each script with espeak-ng (${slidesSpokenAtOnce} slides at a time, progress per slide). Artifacts: slides.json, slides.html (a deck that plays each slide's audio, ` +
    "the audio inside it) and one audio file per slide (slide-01.mp3, …).",
  cost: 3,
  defaultPriority: 5,
  concurrency: 2,
  timeoutMs: 10 * 60_000,
  maxAttempts: 3,
  params: z.object({
    topic: z.string().trim().min(1).max(500),
    slideCount: z.number().int().min(1).max(50).default(13),
    /** The language the slides are written and spoken in: an espeak-ng voice. */
    language: z.enum(speechVoices).default("en-us"),
    /** Who the deck is for ("first-year students"), as the model is told. */
    audience: z.string().trim().min(1).max(200).optional(),
    /** MP3 by default: every browser plays it (Ogg Opus is smaller, and not played by older Safari). */
    audioFormat: z.enum(speechFormatNames).default("mp3"),
  }),
});
