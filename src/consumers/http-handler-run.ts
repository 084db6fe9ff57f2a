import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { Webhook } from "standardwebhooks";
import type { HttpHandler, JobContext, RunJob } from "../jobs/handler.js";
import { HttpHandlerError, errorOfAnswer, excerpt, parseAnswerLine } from "./http-handler-answer.js";
import { LineTooLongError, ndjsonLines } from "./ndjson-lines.js";

// A JSON answer, or one NDJSON line, is a result bound for a jsonb column and
// GraphQL: past this the attempt fails rather than buffer without end.
const maxAnswerBytes = 10 * 1024 * 1024;
// Of an error status's body, only enough to find an {"error": …} or to quote.
const maxErrorBodyBytes = 64 * 1024;
const ndjsonTypes = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl"]);

/**
 * Runs attempts by POSTing them to an HTTP endpoint (README: handlers in any
 * language). node:http rather than fetch: undici's fetch ends a request whose
 * headers or next body chunk take over 300 s, and an endpoint that answers
 * plain JSON may work for an hour; here the type's timeout (ctx.signal) is the
 * only limit, and the same signal ends the request on cancel or shutdown.
 * Redirects are never followed: the URL is the operator's, and a 3xx fails
 * the attempt.
 */
export function makeHttpRun(handler: HttpHandler): RunJob {
  const url = new URL(handler.url);
  // Checks the secret now: a bad one stops the worker at start, not every attempt.
  let webhook: Webhook;
  try {
    webhook = new Webhook(handler.secret);
  } catch (error) {
    throw new Error(`its secret must be "whsec_" and a base64 key (Standard Webhooks): ${(error as Error).message}`, { cause: error });
  }
  const extraHeaders = Object.fromEntries(Object.entries(handler.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));

  return async (ctx) => {
    const body = JSON.stringify({ jobId: ctx.jobId, type: ctx.type, attempt: ctx.attempt, params: ctx.params, deadline: ctx.deadline.toISOString() });
    // Stable per attempt: an attempt handed back at shutdown and run again is
    // sent with the same id, so the endpoint can tell it from a new attempt.
    const id = `${ctx.jobId}:${ctx.attempt}`;
    const now = new Date();
    const headers: OutgoingHttpHeaders = {
      ...extraHeaders,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      accept: "application/x-ndjson, application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": webhook.sign(id, now, body),
    };
    const response = await post(url, headers, body, ctx);
    try {
      return await readAnswer(response, ctx);
    } finally {
      // Ends a body left unread (lines after the result, an error page) and closes the connection.
      response.destroy();
    }
  };
}

function post(url: URL, headers: OutgoingHttpHeaders, body: string, ctx: JobContext): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    let answered = false;
    // agent: false, a connection per attempt: attempts are minutes apart, and a
    // pooled socket the endpoint has closed meanwhile would fail one for nothing.
    const request = send(url, { method: "POST", headers, signal: ctx.signal, agent: false }, (response) => {
      answered = true;
      resolve(response);
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      // Once answered, the response's stream carries the failure.
      if (answered) return;
      if (ctx.signal.aborted) return reject(error);
      ctx.log.warn({ url: url.href, err: error.message }, "HTTP handler request failed");
      // The job's error is shown to its owner: the code, not the operator's addresses.
      reject(new HttpHandlerError(`the handler's endpoint could not be reached (${error.code ?? error.message})`, { cause: error }));
    });
    request.end(body);
  });
}

async function readAnswer(response: IncomingMessage, ctx: JobContext): Promise<unknown> {
  const status = response.statusCode ?? 0;
  const mediaType = (response.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  let dropped: Error | undefined;
  response.once("error", (error) => (dropped = error));
  try {
    if (status >= 300 && status < 400) {
      ctx.log.warn({ status, location: response.headers.location }, "HTTP handler answered a redirect, not followed");
      throw new HttpHandlerError(`the handler's endpoint answered ${status}: redirects are not followed`);
    }
    if (status < 200 || status > 299) throw await statusError(response, status);
    if (ndjsonTypes.has(mediaType)) return await readLines(response, ctx);
    const text = (await readBytes(response, maxAnswerBytes)).toString("utf8");
    if (text.trim() === "") return null;
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpHandlerError(`the handler's endpoint answered ${status} with ${mediaType || "no content type"} that is not JSON: ${excerpt(text)}`);
    }
  } catch (error) {
    if (ctx.signal.aborted || error !== dropped) throw error;
    throw new HttpHandlerError(`the handler's connection dropped before its answer ended (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
}

/** Reads progress lines until the result or error line. */
async function readLines(response: IncomingMessage, ctx: JobContext): Promise<unknown> {
  try {
    for await (const line of ndjsonLines(response, maxAnswerBytes)) {
      const answer = parseAnswerLine(line);
      if (answer.kind === "progress") await ctx.progress(answer.fraction, answer.message ?? undefined);
      else if (answer.kind === "result") return answer.result;
      else throw errorOfAnswer(answer);
    }
  } catch (error) {
    if (error instanceof LineTooLongError) throw new HttpHandlerError(`the handler's answer has ${error.message}`);
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA") {
      throw new HttpHandlerError("the handler's answer has a line that is not UTF-8");
    }
    throw error;
  }
  throw new HttpHandlerError(`the handler's answer ended without a "result" or "error" line`);
}

/** The error of a non-2xx answer: the endpoint's own {"error": …} if it sent one, else the status and the body's start. */
async function statusError(response: IncomingMessage, status: number): Promise<Error> {
  const text = (await readBytes(response, maxErrorBodyBytes, { truncate: true })).toString("utf8");
  // A JSON body, or an NDJSON one's first line.
  for (const candidate of [text, text.split("\n", 1)[0]!]) {
    try {
      const answer = parseAnswerLine(candidate);
      if (answer.kind === "error") return errorOfAnswer(answer, `the handler's endpoint answered ${status}: `);
    } catch {
      // Not an error line: quote the body.
    }
  }
  return new HttpHandlerError(`the handler's endpoint answered ${status}${text.trim() ? `: ${excerpt(text)}` : ""}`);
}

/** The body's bytes; past `limit`, an error, or with `truncate` the first `limit` bytes. */
async function readBytes(stream: IncomingMessage, limit: number, options: { truncate?: boolean } = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) {
      if (options.truncate) return Buffer.concat(chunks).subarray(0, limit);
      throw new HttpHandlerError(`the handler's answer is larger than ${limit} bytes`);
    }
  }
  return Buffer.concat(chunks);
}
