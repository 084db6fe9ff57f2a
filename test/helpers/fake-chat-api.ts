import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A chat completion request the fake API received, with when its connection closed. */
export interface ReceivedChatRequest {
  body: { model: string; messages: { role: string; content: string }[]; stream?: boolean; response_format?: { type: string } };
  authorization: string | undefined;
  /** Resolves when the client's connection closed (it read the whole answer, or went away). */
  closed: Promise<void>;
  /** True once the answer was sent to its end. */
  finished: boolean;
}

/** How the fake answers one request. */
export type FakeChatAnswer =
  /** A whole (non-streamed) completion with this content, after `delayMs`. */
  | { content: string; finishReason?: string; delayMs?: number }
  /** A streamed completion: each delta as one SSE event, `pauseMs` apart, or each after `gate()` resolves; `cut` ends the body after the deltas, without the end. */
  | { deltas: string[]; pauseMs?: number; gate?: (index: number) => Promise<void>; cut?: boolean }
  /** An error status with an OpenAI-style error body. */
  | { status: number; message: string };

/**
 * An OpenAI-compatible chat API on 127.0.0.1 for tests: POST
 * /v1/chat/completions answers what `answer` says for each request,
 * streaming as SSE (`data: {chunk}` events, then `data: [DONE]`) when the
 * request asks for `stream: true`.
 */
export async function startFakeChatApi(answer: (request: ReceivedChatRequest, index: number) => FakeChatAnswer) {
  const requests: ReceivedChatRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((req, res) => void handle(req, res));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    let raw = "";
    for await (const chunk of req) raw += chunk;
    let closedResolve!: () => void;
    const request: ReceivedChatRequest = {
      body: JSON.parse(raw) as ReceivedChatRequest["body"],
      authorization: req.headers.authorization,
      closed: new Promise<void>((resolve) => (closedResolve = resolve)),
      finished: false,
    };
    res.on("close", () => closedResolve());
    requests.push(request);
    const reply = answer(request, requests.length - 1);
    const id = `chatcmpl-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const model = request.body.model;

    if ("status" in reply) {
      res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: reply.message, type: "fake_error", code: null } }));
      request.finished = true;
      return;
    }
    if ("content" in reply) {
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed) return;
      const body = {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: reply.content }, finish_reason: reply.finishReason ?? "stop" }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      request.finished = true;
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const event = (delta: Record<string, unknown>, finishReason: string | null) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    res.write(event({ role: "assistant", content: "" }, null));
    for (const [index, delta] of reply.deltas.entries()) {
      if (reply.gate) await reply.gate(index);
      else if (reply.pauseMs) await new Promise((resolve) => setTimeout(resolve, reply.pauseMs));
      if (res.destroyed) return;
      res.write(event({ content: delta }, null));
    }
    if (reply.cut) {
      // Ends the body as if all were sent: no last chunk with a finish_reason, no [DONE].
      res.end();
      return;
    }
    res.write(event({}, "stop"));
    res.end("data: [DONE]\n\n");
    request.finished = true;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The base URL to give as LLM_BASE_URL. */
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeChatApi = Awaited<ReturnType<typeof startFakeChatApi>>;
