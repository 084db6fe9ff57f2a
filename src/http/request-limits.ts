import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";

const tooLargeCode = "REQUEST_TOO_LARGE";

function tooLarge(maxBytes: number): GraphQLError {
  return new GraphQLError(`request too large: at most ${maxBytes} bytes`, {
    extensions: { code: tooLargeCode, http: { status: 413 } },
  });
}

/** Answers a GraphQL-shaped error by itself, for requests GraphQL never sees. */
function sendErrorResponse(res: ServerResponse, status: number, error: GraphQLError, headers: Record<string, string> = {}): void {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify({ errors: [{ message: error.message, extensions }] }));
}

/**
 * Refuses, before anything is read, a request whose declared body or URL is
 * over `maxBytes`: 413 (or 414 for the URL) with code REQUEST_TOO_LARGE.
 * Returns true when it answered. Node itself caps the request line and
 * headers at 16 KiB (431), so the URL check only matters above that.
 */
export function refuseOversizedRequest(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes) {
    // Answered at once; Node discards the unread body (never buffering it), so
    // the client, still sending, sees the answer instead of a reset.
    sendErrorResponse(res, 413, tooLarge(maxBytes));
    return true;
  }
  if ((req.url ?? "").length > maxBytes) {
    sendErrorResponse(res, 414, tooLarge(maxBytes));
    return true;
  }
  return false;
}

/**
 * Hands yoga a body that counts what it reads: past `maxBytes` (a chunked
 * body, or one longer than its Content-Length) the read fails with
 * REQUEST_TOO_LARGE (413), so no more than the limit is ever buffered.
 * Yoga's Node adapter reads `req.body` instead of the stream when it is set.
 */
export function limitBodyStream(req: IncomingMessage, maxBytes: number): void {
  if (req.method === "GET" || req.method === "HEAD") return;
  const counted = { maxBytes, [Symbol.asyncIterator]: () => bodyChunks(req, maxBytes) };
  (req as IncomingMessage & { body?: unknown }).body = counted;
}

/**
 * A request body's chunks, failing with REQUEST_TOO_LARGE (413) once more
 * than `maxBytes` have come. The socket is not destroyed on that failure: it
 * still carries the answer.
 */
export async function* bodyChunks(req: IncomingMessage, maxBytes: number): AsyncGenerator<Buffer> {
  let read = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    read += chunk.byteLength;
    if (read > maxBytes) throw tooLarge(maxBytes);
    yield chunk;
  }
}

/** Whether an error is the one bodyChunks fails with. */
export const isRequestTooLarge = (error: unknown): boolean => error instanceof GraphQLError && error.extensions.code === tooLargeCode;
