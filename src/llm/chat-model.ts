/**
 * What the LLM job types (slides.generate, story.generate) ask of a chat
 * model, whichever serves it: an OpenAI-compatible API (openai-chat-model.ts)
 * or a test's fake. Every call takes the attempt's signal: a cancel or a
 * timeout ends the HTTP request, or the stream, at once.
 */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  signal: AbortSignal;
}

export interface ChatModel {
  /** Who answers, for results and logs: "gpt-4o-mini at https://api.openai.com/v1". */
  readonly name: string;
  /** The whole answer at once; with `json`, the API is asked for one JSON object (response_format json_object). */
  complete(request: ChatRequest & { json?: boolean }): Promise<string>;
  /** The answer as it is written, one delta of text at a time, in order. */
  stream(request: ChatRequest): AsyncIterable<string>;
}

/** An OpenAI-compatible chat API (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL). */
export interface LlmSettings {
  baseUrl: string;
  apiKey: string | null;
  model: string;
}

/** Codes of the chat API's failures, stored on the job's error. */
export const ChatErrorCode = {
  /** The API could not be reached, was busy (429) or failed (5xx): another attempt may succeed. */
  LLM_UNAVAILABLE: "LLM_UNAVAILABLE",
  /** The API refused the request (a bad key, an unknown model, a request it cannot serve): another attempt would be refused too. */
  LLM_REFUSED: "LLM_REFUSED",
  /** The answer is not what was asked for (not JSON, the wrong shape, cut short): another attempt may answer better. */
  LLM_BAD_ANSWER: "LLM_BAD_ANSWER",
} as const;

/** A failure of the chat API or of its answer; `retryable: false` only for a refusal. */
export class ChatError extends Error {
  readonly code: string;
  readonly retryable?: false;
  constructor(code: keyof typeof ChatErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ChatError";
    this.code = code;
    // As PermanentJobError says it: the job fails at once, refunded, without its remaining attempts.
    if (code === "LLM_REFUSED") this.retryable = false;
  }
}
