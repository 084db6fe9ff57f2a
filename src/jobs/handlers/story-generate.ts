import { ChatError, type ChatModel, type LlmSettings } from "../../llm/chat-model.js";
import { createOpenAiChatModel } from "../../llm/openai-chat-model.js";
import { offlineGeneratorName, offlineStory, streamPieces } from "../generation/offline-generator.js";
import { makeStoryPrompt, storyProgress, storyTitle } from "../generation/story-prompt.js";
import { defineHandler } from "../handler.js";
import { sleep } from "../sleep.js";
import { storyGenerate } from "../types/story-generate.js";

/** The offline generator's pace, so a story visibly grows on a laptop as a model's would. */
const offlinePieceMs = 15;

/** story.generate with the chat API of these settings, or the offline generator without them. */
export function makeStoryGenerateHandler(llm: LlmSettings | null) {
  return storyGenerateHandler(llm ? createOpenAiChatModel(llm) : null);
}

/**
 * Streams the story from the chat model, each delta to the job's output as
 * it comes (subscribers read it while it is written), then stores exactly
 * the streamed text as story.md.
 */
export function storyGenerateHandler(chat: ChatModel | null) {
  return defineHandler(storyGenerate, async ({ params, signal, progress, output, artifacts }) => {
    const request = { prompt: params.prompt, chapters: params.chapters, language: params.language };
    const deltas = chat ? chat.stream({ messages: makeStoryPrompt(request), signal }) : paced(streamPieces(offlineStory(request)), signal);
    await progress(0, chat ? `asking ${chat.name}` : `writing with the ${offlineGeneratorName}`);
    let text = "";
    for await (const delta of deltas) {
      text += delta;
      await output.write(delta);
      const { fraction, message } = storyProgress(text, params.chapters);
      await progress(fraction, message);
    }
    signal.throwIfAborted();
    if (text.trim() === "") throw new ChatError("LLM_BAD_ANSWER", "the chat API streamed no text");
    const artifact = await artifacts.write("story.md", text, { contentType: "text/markdown; charset=utf-8" });
    await progress(1, "written");
    return {
      title: storyTitle(text),
      characters: text.length,
      chapters: (text.match(/^## /gm) ?? []).length,
      writtenBy: chat ? chat.name : offlineGeneratorName,
      artifact: { id: artifact.id, name: artifact.name, contentType: artifact.contentType, size: artifact.size },
    };
  });
}

async function* paced(pieces: string[], signal: AbortSignal): AsyncGenerator<string> {
  for (const piece of pieces) {
    await sleep(offlinePieceMs, signal);
    yield piece;
  }
}
