import type { SlidesRequest } from "./slides-prompt.js";
import type { StoryRequest } from "./story-prompt.js";

// Stands in for a chat model where none is configured (development and test
// without LLM_BASE_URL), so the LLM job types run on a laptop. Pure and
// deterministic: the same params give the same text.

/** How the offline generator names itself in what it writes. */
export const offlineNote = "(offline generator: set LLM_BASE_URL, with LLM_API_KEY and LLM_MODEL as the API needs, to write with a chat model)";

/** The generator's name in results, as a chat model's would be. */
export const offlineGeneratorName = "offline generator";

const slideAngles = [
  ["What it is", "a first look at"],
  ["Why it matters", "the reasons to care about"],
  ["The key ideas", "the ideas underneath"],
  ["How it works", "the workings of"],
  ["An example", "a worked example of"],
  ["Common mistakes", "the usual mistakes about"],
  ["In practice", "using"],
  ["A closer look", "the details of"],
  ["Questions to ask", "good questions about"],
  ["Where it leads", "what follows from"],
] as const;

/** A deck as a chat model would answer it: the JSON text (slides-prompt.ts reads it). */
export function offlineSlidesAnswer(request: SlidesRequest): string {
  const { topic, slideCount } = request;
  const slides = Array.from({ length: slideCount }, (_, index) => {
    const number = index + 1;
    if (number === 1) {
      return {
        title: topic,
        bullets: [`An introduction to ${topic}`, `${slideCount} slides, each with a spoken script`, offlineNote],
        script: `Welcome. This deck about ${topic} comes from the offline generator, not from a language model. It has ${slideCount} slides.`,
      };
    }
    if (number === slideCount) {
      return {
        title: "Summary",
        bullets: [`What we saw of ${topic}`, "Where to go from here"],
        script: `That was our look at ${topic}. Thank you for listening.`,
      };
    }
    const [title, phrase] = slideAngles[(index - 1) % slideAngles.length]!;
    return {
      title: `${title}`,
      bullets: [`Slide ${number}: ${phrase} ${topic}`, "A point to remember", "A question to think about"],
      script: `Slide ${number}. Here we look at ${phrase} ${topic}. Keep one point in mind, and one question.`,
    };
  });
  return JSON.stringify({ title: `${topic} (offline generator)`, slides });
}

/** A story in Markdown, as a chat model would stream it (story-prompt.ts): the note first, then the title and the chapters. */
export function offlineStory(request: StoryRequest): string {
  const subject = request.prompt.replace(/\s+/g, " ").trim();
  const chapters = Array.from({ length: request.chapters }, (_, index) => {
    const number = index + 1;
    const body =
      number === 1
        ? `It began, as these things do, with ${subject}. Nobody in the town had expected it, and everybody had an opinion about it by noon.`
        : number === request.chapters
          ? `In the end, ${subject} was not what anyone had feared. The town went back to its evenings, a little wiser, and told the story often.`
          : `By the ${ordinal(number)} day, ${subject} had changed how people spoke to each other. Some were glad of it; some were not; all of them were paying attention.`;
    return `## Chapter ${number}: ${number === 1 ? "The beginning" : number === request.chapters ? "The end" : `Day ${number}`}\n\n${body}\n`;
  });
  return `${offlineNote}\n\n# A story about ${subject.slice(0, 80)}\n\n${chapters.join("\n")}`;
}

/** A text cut as a model streams it: a word with the spaces after it, a line break on its own. */
export function streamPieces(text: string): string[] {
  return text.match(/\n+|[^\s]+[^\S\n]*|[^\S\n]+/g) ?? [];
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th";
  return `${n}${suffix}`;
}
