import { JobErrorCode, PermanentJobError } from "../domain/errors.js";

/**
 * An HTTP handler's endpoint broke the protocol (an error status, a line that
 * is not one of the three kinds, a stream without an end) or its connection
 * dropped: the attempt failed and is retried as its type says.
 */
export class HttpHandlerError extends Error {
  readonly code = JobErrorCode.HTTP_ERROR;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HttpHandlerError";
  }
}

/** One line of an NDJSON answer, as the worker acts on it. */
export type AnswerLine =
  | { kind: "progress"; fraction: number; message: string | null }
  | { kind: "result"; result: unknown }
  | { kind: "error"; message: string; code: string | null; retryable: boolean };

// Progress messages land in job_events rows and reach every subscriber: long ones are cut.
export const maxProgressMessageLength = 1_000;

/** `text` cut to `length` characters, with an ellipsis when it was longer. */
export function excerpt(text: string, length = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}

/**
 * Reads one line of an NDJSON answer: `{"progress":0.4,"message":"…"}`,
 * `{"result":…}` or `{"error":{"message":"…","retryable":false,"code":"…"}}`.
 * Anything else throws HttpHandlerError; keys besides these are ignored.
 */
export function parseAnswerLine(line: string): AnswerLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new HttpHandlerError(`the handler's answer has a line that is not JSON: ${excerpt(line)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpHandlerError(`the handler's answer has a line that is not a JSON object: ${excerpt(line)}`);
  }
  const fields = value as Record<string, unknown>;
  const kinds = (["progress", "result", "error"] as const).filter((key) => key in fields);
  if (kinds.length !== 1) {
    throw new HttpHandlerError(`each line of the handler's answer holds one of "progress", "result" or "error": ${excerpt(line)}`);
  }
  switch (kinds[0]!) {
    case "result":
      return { kind: "result", result: fields.result };
    case "progress": {
      const { progress, message } = fields;
      if (typeof progress !== "number" || !(progress >= 0 && progress <= 1)) {
        throw new HttpHandlerError(`"progress" must be a number from 0 to 1: ${excerpt(line)}`);
      }
      if (message !== undefined && message !== null && typeof message !== "string") {
        throw new HttpHandlerError(`a progress "message" must be a string: ${excerpt(line)}`);
      }
      const text = typeof message === "string" ? message : null;
      return { kind: "progress", fraction: progress, message: text && text.length > maxProgressMessageLength ? `${text.slice(0, maxProgressMessageLength)}…` : text };
    }
    case "error": {
      const error = fields.error as Record<string, unknown> | null;
      const shaped =
        typeof error === "object" &&
        error !== null &&
        typeof error.message === "string" &&
        error.message !== "" &&
        (error.retryable === undefined || typeof error.retryable === "boolean") &&
        (error.code === undefined || error.code === null || typeof error.code === "string");
      if (!shaped) {
        throw new HttpHandlerError(`"error" must be {"message": string, "retryable"?: boolean, "code"?: string}: ${excerpt(line)}`);
      }
      return { kind: "error", message: excerpt(error.message as string, maxProgressMessageLength), code: (error.code as string | null | undefined) ?? null, retryable: error.retryable !== false };
    }
  }
}

/** What the attempt throws for an error the endpoint reported: permanent when it said `retryable: false`. */
export function errorOfAnswer(answer: Extract<AnswerLine, { kind: "error" }>, prefix = ""): Error {
  const message = `${prefix}${answer.message}`;
  if (!answer.retryable) return new PermanentJobError(message, answer.code === null ? {} : { code: answer.code });
  return Object.assign(new Error(message), { code: answer.code ?? JobErrorCode.HANDLER_ERROR });
}
