import { z } from "zod";
import type { ChatMessage } from "../../llm/chat-model.js";

export interface SlidesRequest {
  topic: string;
  slideCount: number;
  /** The language tag the slides are written (and spoken) in, e.g. "en-us", "de". */
  language: string;
  audience?: string;
}

/** Bounds of one slide, so a runaway answer cannot make an unreadable deck or hours of audio. */
export const slideLimits = { title: 200, bullets: 8, bullet: 300, script: 3_000 } as const;

const text = (max: number) => z.string().trim().min(1).max(max);

/** One slide as the chat model answers it. */
export const slideAnswer = z.object({
  title: text(slideLimits.title),
  bullets: z.array(text(slideLimits.bullet)).min(1).max(slideLimits.bullets),
  /** What a teacher says while the slide shows: spoken as the slide's audio. */
  script: text(slideLimits.script).refine((script) => /[\p{L}\p{N}]/u.test(script), "must have something to say"),
});

/** The deck as the chat model answers it. */
export const slidesAnswer = z.object({
  title: text(slideLimits.title),
  slides: z.array(slideAnswer).min(1),
});

export type Slide = z.output<typeof slideAnswer>;
export type SlidesAnswer = z.output<typeof slidesAnswer>;

/** The messages that ask for a deck as one JSON object (the API is also asked for JSON: response_format json_object). */
export function makeSlidesPrompt(request: SlidesRequest): ChatMessage[] {
  const system = [
    "You write slide decks that teach. Answer with one JSON object and nothing else, of this shape:",
    '{"title": string, "slides": [{"title": string, "bullets": [string, ...], "script": string}, ...]}',
    `Write exactly ${request.slideCount} slides. Each slide has a short title, 2 to 5 bullets of at most 20 words, and a script:`,
    "what a teacher says aloud while the slide shows, 60 to 120 words of plain spoken prose (no markup, no lists, no stage directions).",
    "The slides build on each other from an introduction to a summary.",
  ].join("\n");
  const user = [
    `Topic: ${request.topic}`,
    `Slides: ${request.slideCount}`,
    `Language: ${request.language} (write every title, bullet and script in it)`,
    ...(request.audience ? [`Audience: ${request.audience}`] : []),
  ].join("\n");
  return [
    { role: "system", content: system },
    { role: "user", content: user },
  ];
}

/**
 * Reads the model's answer: JSON (a Markdown code fence around it is
 * forgiven, as some servers add one despite response_format) of the asked
 * shape with at least `slideCount` slides; extra slides are left out.
 * Throws a description of what is wrong otherwise.
 */
export function parseSlidesAnswer(answer: string, slideCount: number): SlidesAnswer {
  const json = answer
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`the answer is not JSON (it begins ${JSON.stringify(answer.slice(0, 60))})`);
  }
  const parsed = slidesAnswer.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`the answer is not the slides asked for: ${issue.path.join(".") || "the answer"} ${issue.message}`);
  }
  if (parsed.data.slides.length < slideCount) throw new Error(`the answer has ${parsed.data.slides.length} slides, not the ${slideCount} asked for`);
  return { ...parsed.data, slides: parsed.data.slides.slice(0, slideCount) };
}
