import { readFile } from "node:fs/promises";
import { ChatError, type ChatModel, type LlmSettings } from "../../llm/chat-model.js";
import { createOpenAiChatModel } from "../../llm/openai-chat-model.js";
import { offlineNote, offlineSlidesAnswer } from "../generation/offline-generator.js";
import { renderSlidesDeck, type DeckSlide } from "../generation/slides-deck.js";
import { makeSlidesPrompt, parseSlidesAnswer } from "../generation/slides-prompt.js";
import { defineHandler } from "../handler.js";
import { mapWithLimit } from "../map-with-limit.js";
import { speechBinaries, synthesizeSpeech } from "../media/synthesize-speech.js";
import { speechFormats, speechSpeed } from "../media/speech-options.js";
import { slidesGenerate, slidesSpokenAtOnce } from "../types/slides-generate.js";

// Of the job's progress, writing the slides takes this share, speaking them the most of the rest.
const writingShare = 0.1;
const speakingShare = 0.85;

/** slides.generate with the chat API of these settings, or the offline generator without them. */
export function makeSlidesGenerateHandler(llm: LlmSettings | null) {
  return slidesGenerateHandler(llm ? createOpenAiChatModel(llm) : null);
}

/**
 * Asks the chat model for the deck as one JSON object (checked with zod: a
 * malformed answer fails the attempt, to be retried), speaks each slide's
 * script through the speech path (synthesizeSpeech: espeak-ng, then ffmpeg),
 * a few slides at a time, then writes the audio files, slides.json and the
 * slides.html deck. Nothing is written as an artifact before every slide is
 * spoken.
 */
export function slidesGenerateHandler(chat: ChatModel | null) {
  return defineHandler(
    slidesGenerate,
    async ({ params, signal, progress, artifacts, workDir }) => {
      const request = { topic: params.topic, slideCount: params.slideCount, language: params.language, audience: params.audience };
      const writtenBy = chat ? chat.name : offlineNote;
      await progress(0, chat ? `writing ${params.slideCount} slides with ${chat.name}` : `writing ${params.slideCount} slides with the offline generator`);
      const answer = chat ? await chat.complete({ messages: makeSlidesPrompt(request), json: true, signal }) : offlineSlidesAnswer(request);
      let deck;
      try {
        deck = parseSlidesAnswer(answer, params.slideCount);
      } catch (error) {
        throw new ChatError("LLM_BAD_ANSWER", `the chat model's slides cannot be used: ${(error as Error).message}`);
      }
      const total = deck.slides.length;
      await progress(writingShare, `${total} slides written; speaking them`);

      let spokenCount = 0;
      const spoken = await mapWithLimit(deck.slides, slidesSpokenAtOnce, signal, async (slide, index, slideSignal) => {
        const speech = await synthesizeSpeech({ text: slide.script, voice: params.language, speed: speechSpeed.default, format: params.audioFormat, workDir, signal: slideSignal });
        spokenCount++;
        await progress(writingShare + (speakingShare * spokenCount) / total, `slide ${spokenCount} of ${total} spoken (slide ${index + 1})`);
        return speech;
      });

      const { extension, contentType } = speechFormats[params.audioFormat];
      const slides: DeckSlide[] = [];
      for (const [index, slide] of deck.slides.entries()) {
        const speech = spoken[index]!;
        const name = `slide-${String(index + 1).padStart(2, "0")}.${extension}`;
        const audio = await readFile(speech.path);
        await artifacts.write(name, audio, { contentType });
        slides.push({ ...slide, audio: { name, contentType, durationMs: speech.durationMs, base64: audio.toString("base64") } });
      }
      const audience = params.audience ?? null;
      const json = {
        title: deck.title,
        topic: params.topic,
        language: params.language,
        audience,
        writtenBy,
        slides: slides.map(({ audio, ...slide }, index) => ({ number: index + 1, ...slide, audio: { name: audio.name, contentType: audio.contentType, durationMs: audio.durationMs } })),
      };
      await artifacts.write("slides.json", `${JSON.stringify(json, null, 2)}\n`, { contentType: "application/json" });
      await artifacts.write("slides.html", renderSlidesDeck({ title: deck.title, language: params.language, writtenBy, slides }), { contentType: "text/html; charset=utf-8" });
      await progress(1, `${total} slides with audio`);
      return {
        title: deck.title,
        slides: total,
        durationMs: slides.reduce((sum, slide) => sum + slide.audio.durationMs, 0),
        writtenBy,
        artifacts: ["slides.json", "slides.html", ...slides.map((slide) => slide.audio.name)],
      };
    },
    { requires: speechBinaries },
  );
}
