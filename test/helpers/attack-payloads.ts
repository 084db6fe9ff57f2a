import { request } from "node:http";

/** `a0:__typename a1:__typename …` aliases, `count` of them. */
export function typenameAliases(count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) text += `a${i}:__typename `;
  return text;
}

const chunkTarget = 256 * 1024;

/**
 * Yields `prefix`, then `a0:__typename a1:__typename …` padded with spaces,
 * then `suffix`: exactly `totalBytes` bytes in all, produced chunk by chunk
 * so that a 95 MB payload never sits in memory whole.
 */
export async function* aliasedTypenameChunks(totalBytes: number, prefix: string, suffix: string): AsyncGenerator<Buffer> {
  const head = Buffer.from(prefix);
  const tail = Buffer.from(suffix);
  let remaining = totalBytes - head.length - tail.length;
  if (remaining < 0) throw new Error(`totalBytes ${totalBytes} is smaller than prefix and suffix`);
  yield head;
  let alias = 0;
  while (remaining > 0) {
    let text = "";
    while (text.length < chunkTarget) text += `a${alias++}:__typename `;
    const chunk = Buffer.from(text.length <= remaining ? text : " ".repeat(remaining));
    remaining -= chunk.length;
    yield chunk;
    // Lets the event loop breathe, so this process's own timers (the readiness probe) stay on time.
    await new Promise((resolve) => setImmediate(resolve));
  }
  yield tail;
}

/** A GraphQL-over-HTTP JSON body `{"query":"{a0:__typename …}"}` of exactly `totalBytes`. */
export const aliasedQueryBody = (totalBytes: number) => aliasedTypenameChunks(totalBytes, '{"query":"{', '}"}');

/** A graphql-ws `subscribe` message whose query is `{a0:__typename …}`, of exactly `totalBytes`. */
export const aliasedSubscribeMessage = (totalBytes: number, id = "big") =>
  aliasedTypenameChunks(totalBytes, `{"id":"${id}","type":"subscribe","payload":{"query":"{`, '}"}}');

export async function collectChunks(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

export interface StreamedPostResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Request bytes written before the answer came (or the connection ended). */
  bytesSent: number;
  elapsedMs: number;
}

/**
 * POSTs a body streamed from `chunks` (respecting back-pressure) and stops
 * writing as soon as the server answers: a gateway that refuses a huge body
 * early is seen to do so. `contentLength` sends the length up front; without
 * it the body is chunked and the server must count.
 */
export function streamedPost(
  url: string,
  chunks: AsyncIterable<Buffer>,
  options: { contentLength?: number; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<StreamedPostResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const req = request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.contentLength !== undefined ? { "content-length": String(options.contentLength) } : {}),
        ...options.headers,
      },
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms after sending ${bytesSent} bytes`));
    }, options.timeoutMs ?? 10_000);
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(parts).toString("utf8"),
          bytesSent,
          elapsedMs: performance.now() - started,
        });
        req.destroy();
      });
      res.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    req.on("error", (error) => {
      // Once answered, a reset of the half-sent body is the server refusing the rest: fine.
      if (answered) return;
      clearTimeout(timer);
      reject(new Error(`request failed after sending ${bytesSent} bytes without an answer: ${error.message}`));
    });
    void (async () => {
      for await (const chunk of chunks) {
        if (answered || req.destroyed) return;
        bytesSent += chunk.length;
        if (!req.write(chunk)) {
          await new Promise<void>((resume) => {
            const done = () => {
              req.off("drain", done);
              req.off("close", done);
              req.off("response", done);
              resume();
            };
            req.once("drain", done);
            req.once("close", done);
            req.once("response", done);
          });
        }
      }
      if (!answered && !req.destroyed) req.end();
    })().catch((error: Error) => req.destroy(error));
  });
}
