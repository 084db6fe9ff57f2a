import { describe, expect, it } from "vitest";
import { HttpHandlerError, errorOfAnswer, maxProgressMessageLength, parseAnswerLine } from "../../src/consumers/http-handler-answer.js";
import { PermanentJobError } from "../../src/jobs/handler.js";
import { toJobError } from "../../src/domain/errors.js";

describe("parseAnswerLine", () => {
  it("reads progress lines, with or without a message", () => {
    expect(parseAnswerLine('{"progress":0.4,"message":"rendering"}')).toEqual({ kind: "progress", fraction: 0.4, message: "rendering" });
    expect(parseAnswerLine('{"progress":1}')).toEqual({ kind: "progress", fraction: 1, message: null });
    expect(parseAnswerLine('{"progress":0,"message":null,"extra":true}')).toEqual({ kind: "progress", fraction: 0, message: null });
  });

  it("cuts a long progress message", () => {
    const answer = parseAnswerLine(JSON.stringify({ progress: 0.5, message: "m".repeat(5_000) }));
    expect(answer.kind === "progress" && answer.message).toHaveLength(maxProgressMessageLength + 1);
  });

  it("reads a result line, whatever the result (null, a string, an object)", () => {
    expect(parseAnswerLine('{"result":null}')).toEqual({ kind: "result", result: null });
    expect(parseAnswerLine('{"result":"done"}')).toEqual({ kind: "result", result: "done" });
    expect(parseAnswerLine('{"result":{"pages":[1,2]}}')).toEqual({ kind: "result", result: { pages: [1, 2] } });
  });

  it("reads an error line, retryable unless it says retryable: false", () => {
    expect(parseAnswerLine('{"error":{"message":"model busy"}}')).toEqual({ kind: "error", message: "model busy", code: null, retryable: true });
    expect(parseAnswerLine('{"error":{"message":"not a video","retryable":false,"code":"BAD_INPUT"}}')).toEqual({
      kind: "error",
      message: "not a video",
      code: "BAD_INPUT",
      retryable: false,
    });
  });

  it.each([
    ["not JSON", "{progress: 0.5}", /not JSON/],
    ["a JSON array", "[1]", /not a JSON object/],
    ["a JSON string", '"done"', /not a JSON object/],
    ["none of the three kinds", '{"message":"hi"}', /one of "progress", "result" or "error"/],
    ["two kinds at once", '{"progress":1,"result":2}', /one of/],
    ["a percentage", '{"progress":40}', /from 0 to 1/],
    ["a progress that is a string", '{"progress":"0.5"}', /from 0 to 1/],
    ["a message that is a number", '{"progress":0.5,"message":5}', /must be a string/],
    ["an error that is a string", '{"error":"boom"}', /"error" must be/],
    ["an error without a message", '{"error":{"retryable":false}}', /"error" must be/],
    ["an error whose retryable is a string", '{"error":{"message":"x","retryable":"no"}}', /"error" must be/],
  ])("refuses a line that is %s", (_, line, message) => {
    expect(() => parseAnswerLine(line)).toThrow(HttpHandlerError);
    expect(() => parseAnswerLine(line)).toThrow(message);
  });

  it("gives refusals the HTTP_ERROR code", () => {
    try {
      parseAnswerLine("nope");
      expect.unreachable();
    } catch (error) {
      expect(toJobError(error, 1)).toMatchObject({ code: "HTTP_ERROR", attempt: 1 });
      expect(toJobError(error, 1)).not.toHaveProperty("retryable");
    }
  });
});

describe("errorOfAnswer", () => {
  it("makes a retryable error line a plain failure with its code, HANDLER_ERROR by default", () => {
    expect(toJobError(errorOfAnswer({ kind: "error", message: "busy", code: null, retryable: true }), 2)).toEqual({ message: "busy", code: "HANDLER_ERROR", attempt: 2 });
    expect(toJobError(errorOfAnswer({ kind: "error", message: "busy", code: "QUOTA", retryable: true }), 2)).toEqual({ message: "busy", code: "QUOTA", attempt: 2 });
  });

  it("makes retryable: false a PermanentJobError, stored as not retryable", () => {
    const error = errorOfAnswer({ kind: "error", message: "not a video", code: "BAD_INPUT", retryable: false }, "answered 422: ");
    expect(error).toBeInstanceOf(PermanentJobError);
    expect(toJobError(error, 1)).toEqual({ message: "answered 422: not a video", code: "BAD_INPUT", attempt: 1, retryable: false });
  });
});
