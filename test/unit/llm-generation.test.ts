import { describe, expect, it } from "vitest";
import { configProblems } from "../../src/app-config/define-config.js";
import { loadConfig } from "../../src/config.js";
import { builtinJobTypes, builtinTypesOff, llmJobTypeNames, makeBuiltinConfig } from "../../src/jobs/builtin.js";
import { offlineNote, offlineSlidesAnswer, offlineStory, streamPieces } from "../../src/jobs/generation/offline-generator.js";
import { escapeHtml, renderSlidesDeck } from "../../src/jobs/generation/slides-deck.js";
import { makeSlidesPrompt, parseSlidesAnswer } from "../../src/jobs/generation/slides-prompt.js";
import { makeStoryPrompt, storyProgress, storyTitle } from "../../src/jobs/generation/story-prompt.js";
import { mapWithLimit } from "../../src/jobs/map-with-limit.js";
import { slidesGenerate } from "../../src/jobs/types/slides-generate.js";
import { storyGenerate } from "../../src/jobs/types/story-generate.js";

const slidesRequest = { topic: "Volcanoes", slideCount: 13, language: "en-us", audience: "curious ten-year-olds" };
const slide = (n: number) => ({ title: `Slide ${n}`, bullets: [`point ${n}`], script: `Script of slide ${n}.` });

describe("slides prompt and answer", () => {
  it("asks for exactly the slides, in the language, for the audience, as one JSON object", () => {
    const [system, user] = makeSlidesPrompt(slidesRequest);
    expect(system!.role).toBe("system");
    expect(system!.content).toContain("Write exactly 13 slides");
    expect(system!.content).toContain('"script": string');
    expect(user!.content).toContain("Topic: Volcanoes");
    expect(user!.content).toContain("Language: en-us");
    expect(user!.content).toContain("Audience: curious ten-year-olds");
    expect(makeSlidesPrompt({ ...slidesRequest, audience: undefined })[1]!.content).not.toContain("Audience");
  });

  it("reads a good answer, fenced or not, keeping the slides asked for", () => {
    const answer = { title: "Volcanoes", slides: Array.from({ length: 14 }, (_, i) => slide(i + 1)) };
    expect(parseSlidesAnswer(JSON.stringify(answer), 13).slides).toHaveLength(13);
    expect(parseSlidesAnswer("```json\n" + JSON.stringify(answer) + "\n```", 2).slides.map((s) => s.title)).toEqual(["Slide 1", "Slide 2"]);
  });

  it("refuses what is not the deck asked for, saying what is wrong", () => {
    expect(() => parseSlidesAnswer("Sure! Here are your slides:", 3)).toThrow(/not JSON/);
    expect(() => parseSlidesAnswer(JSON.stringify({ title: "t", slides: [slide(1)] }), 3)).toThrow(/1 slides, not the 3 asked for/);
    expect(() => parseSlidesAnswer(JSON.stringify({ title: "t", slides: [{ ...slide(1), bullets: [] }] }), 1)).toThrow(/slides\.0\.bullets/);
    expect(() => parseSlidesAnswer(JSON.stringify({ title: "t", slides: [{ ...slide(1), script: "…" }] }), 1)).toThrow(/slides\.0\.script/);
    expect(() => parseSlidesAnswer(JSON.stringify({ slides: [slide(1)] }), 1)).toThrow(/title/);
    expect(() => parseSlidesAnswer("[]", 1)).toThrow(/not the slides asked for/);
  });
});

describe("story prompt and progress", () => {
  it("asks for Markdown chapters under ## headings, in the language", () => {
    const [system, user] = makeStoryPrompt({ prompt: "a lighthouse keeper", chapters: 4, language: "de" });
    expect(system!.content).toContain("Write exactly 4 chapters");
    expect(system!.content).toContain("## Chapter N");
    expect(user!.content).toBe("Language: de\nWrite a story about: a lighthouse keeper");
  });

  it("counts chapters begun, the current one half, never reaching 1 before the end", () => {
    expect(storyProgress("# Title\n\nNo chapter yet", 3)).toEqual({ fraction: 0, message: "beginning the story" });
    expect(storyProgress("# T\n\n## Chapter 1\n\ntext", 2)).toEqual({ fraction: 0.25, message: "writing chapter 1 of 2" });
    expect(storyProgress("## One\n\n## Two\n\n## Three (an extra one)", 2)).toEqual({ fraction: 0.75, message: "writing chapter 2 of 2" });
    expect(storyProgress("a line with ## in it", 2).fraction).toBe(0);
    expect(storyTitle("(note)\n\n# The Keeper \n\n## Chapter 1")).toBe("The Keeper");
    expect(storyTitle("no title")).toBeNull();
  });
});

describe("offline generator", () => {
  it("answers slides the parser accepts, any count, and says it is the offline generator", () => {
    for (const slideCount of [1, 2, 13, 50]) {
      const deck = parseSlidesAnswer(offlineSlidesAnswer({ ...slidesRequest, slideCount }), slideCount);
      expect(deck.slides).toHaveLength(slideCount);
      expect(deck.title).toContain("offline generator");
    }
    const deck = parseSlidesAnswer(offlineSlidesAnswer(slidesRequest), 13);
    expect(deck.slides[0]!.bullets).toContain(offlineNote);
    expect(offlineNote).toContain("LLM_BASE_URL");
    expect(offlineSlidesAnswer(slidesRequest)).toBe(offlineSlidesAnswer(slidesRequest));
  });

  it("writes a story that begins with its note, has the chapters asked for, and streams back to itself", () => {
    const story = offlineStory({ prompt: "a  lighthouse\nkeeper", chapters: 3, language: "en" });
    expect(story.startsWith(offlineNote)).toBe(true);
    expect(storyTitle(story)).toBe("A story about a lighthouse keeper");
    expect(story.match(/^## /gm)).toHaveLength(3);
    const pieces = streamPieces(story);
    expect(pieces.length).toBeGreaterThan(50);
    expect(pieces.join("")).toBe(story);
    expect(streamPieces("  two  words\n\nand\tmore ")).toEqual(["  ", "two  ", "words", "\n\n", "and\t", "more "]);
  });
});

describe("slides deck", () => {
  const deck = {
    title: "Volcanoes <&> \"fire\"",
    language: "en-us",
    writtenBy: "gpt-test at http://127.0.0.1/v1",
    slides: [1, 2, 3].map((n) => ({ ...slide(n), audio: { name: `slide-0${n}.mp3`, contentType: "audio/mpeg", durationMs: 1000 * n, base64: Buffer.from(`audio ${n}`).toString("base64") } })),
  };

  it("is one page that carries each slide's audio as a data: URI, with escaped text", () => {
    const html = renderSlidesDeck(deck);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="en-us">');
    expect(html).toContain("<title>Volcanoes &lt;&amp;&gt; &quot;fire&quot;</title>");
    const sources = [...html.matchAll(/<audio [^>]*src="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual([1, 2, 3].map((n) => `data:audio/mpeg;base64,${Buffer.from(`audio ${n}`).toString("base64")}`));
    expect(html.match(/<section class="slide"/g)).toHaveLength(3);
    expect(html).toContain("Script of slide 2.");
    // Nothing is fetched: no relative or remote reference.
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
    expect(escapeHtml(`<script>alert('x')</script>`)).toBe("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  });
});

describe("mapWithLimit", () => {
  it("runs at most `limit` at once and answers in the items' order", async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithLimit([50, 10, 30, 20, 40, 5, 15], 3, new AbortController().signal, async (ms, index) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return index * 2;
    });
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12]);
    expect(most).toBe(3);
  });

  it("on the first failure aborts the runs under way, starts no more, and throws it once they ended", async () => {
    const started: number[] = [];
    const ended: string[] = [];
    const run = mapWithLimit([0, 1, 2, 3, 4, 5], 3, new AbortController().signal, async (_, index, signal) => {
      started.push(index);
      if (index === 1) throw new Error("slide 2 cannot be spoken");
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      ended.push(`${index} aborted`);
      throw signal.reason;
    });
    await expect(run).rejects.toThrow("slide 2 cannot be spoken");
    expect(started).toEqual([0, 1, 2]);
    expect(ended.sort()).toEqual(["0 aborted", "2 aborted"]);
  });

  it("stops with the attempt's signal", async () => {
    const attempt = new AbortController();
    const run = mapWithLimit([1, 2], 2, attempt.signal, (_, __, signal) => new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason))));
    attempt.abort(new Error("cancelled"));
    await expect(run).rejects.toThrow("cancelled");
  });
});

describe("LLM settings and the built-in types", () => {
  it("reads LLM_BASE_URL, LLM_API_KEY and LLM_MODEL; none set is no chat API", () => {
    expect(loadConfig({}).llm).toBeNull();
    expect(loadConfig({ LLM_BASE_URL: "http://127.0.0.1:11434/v1" }).llm).toEqual({ baseUrl: "http://127.0.0.1:11434/v1", apiKey: null, model: "gpt-4o-mini" });
    expect(loadConfig({ LLM_BASE_URL: "https://api.example.com/v1", LLM_API_KEY: "sk-secret", LLM_MODEL: "m" }).llm).toEqual({
      baseUrl: "https://api.example.com/v1",
      apiKey: "sk-secret",
      model: "m",
    });
    expect(() => loadConfig({ LLM_BASE_URL: "ftp://example.com" })).toThrow("configuration: LLM_BASE_URL must be an http(s):// URL");
  });

  const names = (settings: Parameters<typeof makeBuiltinConfig>[0]) => makeBuiltinConfig(settings).jobTypes.map((type) => type.name);
  const llm = { baseUrl: "http://127.0.0.1:1/v1", apiKey: null, model: "m" };
  const allNames = builtinJobTypes.map((type) => type.name);

  it("production without a chat API leaves the LLM types out, and says why", () => {
    expect(names({ nodeEnv: "production", llm: null })).toEqual(allNames.filter((name) => !llmJobTypeNames.includes(name)));
    expect(names({ nodeEnv: "production", llm: null })).not.toContain("story.generate");
    expect(builtinTypesOff({ nodeEnv: "production", llm: null })).toBe("slides.generate and story.generate are off: LLM_BASE_URL is not set");
    expect(configProblems(makeBuiltinConfig({ nodeEnv: "production", llm: null }))).toEqual([]);
  });

  it("serves them with a chat API anywhere, and with the offline generator outside production", () => {
    for (const settings of [
      { nodeEnv: "production", llm },
      { nodeEnv: "development", llm: null },
      { nodeEnv: "test", llm: null },
    ]) {
      expect(names(settings)).toEqual(allNames);
      expect(names(settings)).toEqual(expect.arrayContaining(["slides.generate", "story.generate"]));
      expect(builtinTypesOff(settings)).toBeNull();
      expect(configProblems(makeBuiltinConfig(settings))).toEqual([]);
    }
  });

  it("the contracts keep their params: slides default to 13, MP3 and en-us; a story to 3 chapters in English", () => {
    expect(slidesGenerate.params.parse({ topic: "Volcanoes" })).toEqual({ topic: "Volcanoes", slideCount: 13, language: "en-us", audioFormat: "mp3" });
    expect(slidesGenerate.params.safeParse({ topic: "x", language: "klingon" }).success).toBe(false);
    expect(storyGenerate.params.parse({ prompt: "p" })).toEqual({ prompt: "p", chapters: 3, language: "en" });
    expect(storyGenerate.params.safeParse({ prompt: "p", language: "en; drop" }).success).toBe(false);
  });
});
