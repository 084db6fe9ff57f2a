import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { ChatError, type ChatModel, type LlmSettings } from "./chat-model.js";

/** Statuses after which the same request would be refused again. */
const refusedStatuses = new Set([400, 401, 403, 404, 405, 413, 415, 422]);

/**
 * A chat model behind any OpenAI-compatible API, through the `openai`
 * client. The client retries a connection error, a 429 and a 5xx twice with
 * its own backoff before the attempt fails (and is retried as a job);
 * `signal` ends the request or the stream at once.
 */
export function createOpenAiChatModel(settings: LlmSettings): ChatModel {
  // The client refuses to start without a key; a local server ignores whatever is sent.
  const client = new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey ?? "none", maxRetries: 2 });
  const { model } = settings;
  return {
    name: `${model} at ${settings.baseUrl}`,
    async complete({ messages, json, signal }) {
      const completion = await client.chat.completions
        .create({ model, messages, ...(json ? { response_format: { type: "json_object" as const } } : {}) }, { signal })
        .catch((error: unknown) => rethrow(error, signal));
      const choice = completion.choices?.[0];
      const content = choice?.message?.content;
      if (typeof content !== "string" || content.trim() === "") throw new ChatError("LLM_BAD_ANSWER", "the chat API answered no text");
      if (choice!.finish_reason === "length") throw new ChatError("LLM_BAD_ANSWER", "the chat API's answer was cut short (finish_reason length)");
      return content;
    },
    async *stream({ messages, signal }) {
      const stream = await client.chat.completions.create({ model, messages, stream: true }, { signal }).catch((error: unknown) => rethrow(error, signal));
      let finishReason: string | null = null;
      try {
        for await (const chunk of stream) {
          const choice = chunk.choices?.[0];
          if (choice?.delta?.content) yield choice.delta.content;
          if (choice?.finish_reason) finishReason = choice.finish_reason;
        }
      } catch (error) {
        rethrow(error, signal);
      }
      // The client ends a stream that was aborted, or cut, half-way as if it were complete: a cut story must not pass for a whole one.
      signal.throwIfAborted();
      if (finishReason === null) throw new ChatError("LLM_UNAVAILABLE", "the chat API's stream ended before the model finished");
      if (finishReason === "length" || finishReason === "content_filter") {
        throw new ChatError("LLM_BAD_ANSWER", `the chat API's answer was cut short (finish_reason ${finishReason})`);
      }
    },
  };
}

function rethrow(error: unknown, signal: AbortSignal): never {
  // Aborted by the attempt: its own reason (cancel, timeout, shutdown) is what the runtime records.
  if (signal.aborted || error instanceof APIUserAbortError) throw signal.reason ?? error;
  if (error instanceof APIConnectionError) throw new ChatError("LLM_UNAVAILABLE", `the chat API could not be reached: ${error.message}`, { cause: error });
  if (error instanceof APIError && error.status !== undefined) {
    const kind = refusedStatuses.has(error.status) ? "LLM_REFUSED" : "LLM_UNAVAILABLE";
    throw new ChatError(kind, `the chat API answered ${error.status}: ${error.message}`, { cause: error });
  }
  // A stream broken half-way (the server went away, an event that is not JSON).
  throw new ChatError("LLM_UNAVAILABLE", `the chat API failed: ${(error as Error).message ?? String(error)}`, { cause: error });
}
