import type { ChatMessage } from "../../llm/chat-model.js";

export interface StoryRequest {
  prompt: string;
  chapters: number;
  /** The language tag the story is written in, e.g. "en", "de". */
  language: string;
}

/** The messages that ask for a story in Markdown, each chapter under a `## ` heading. */
export function makeStoryPrompt(request: StoryRequest): ChatMessage[] {
  const system = [
    "You write short stories in Markdown.",
    "Begin with the title as a level-one heading (# Title), then write the chapters, each under a level-two heading (## Chapter N: Its name).",
    `Write exactly ${request.chapters} chapter${request.chapters === 1 ? "" : "s"} of 150 to 400 words each, and nothing after the last one.`,
  ].join("\n");
  return [
    { role: "system", content: system },
    { role: "user", content: `Language: ${request.language}\nWrite a story about: ${request.prompt}` },
  ];
}

/**
 * How far a story is, from the text written so far: chapters begun of
 * those asked (a chapter begins at a line starting with `## `), the one
 * being written counting half. Never 1: the end of the answer says that.
 */
export function storyProgress(text: string, chapters: number): { fraction: number; message: string } {
  const begun = (text.match(/^## /gm) ?? []).length;
  if (begun === 0) return { fraction: 0, message: "beginning the story" };
  const current = Math.min(begun, chapters);
  return { fraction: Math.min(0.99, (current - 0.5) / chapters), message: `writing chapter ${current} of ${chapters}` };
}

/** The story's title: its first `# ` heading, if it has one. */
export function storyTitle(text: string): string | null {
  return /^# (.+)$/m.exec(text)?.[1]?.trim() ?? null;
}
