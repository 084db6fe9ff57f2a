import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: Record<string, string>;
  /** The raw body, as signed. */
  body: string;
  /** The body parsed (Standard Webhooks: type, timestamp, data). */
  payload: { type: string; timestamp: string; data: Record<string, any> };
}

/** How the receiver answers one request: a status (with an optional body or Location), or no answer at all. */
export type ReceiverAnswer = { status: number; body?: string; location?: string } | "hang";

/**
 * An app's webhook endpoint on 127.0.0.1 for a test: records every request
 * and answers as `answer` says (default 204). `close()` also drops requests
 * left hanging.
 */
export async function startWebhookReceiver(answer: (request: ReceivedWebhook, earlier: ReceivedWebhook[]) => ReceiverAnswer = () => ({ status: 204 })) {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<ServerResponse>();
  let decide = answer;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let payload: ReceivedWebhook["payload"];
    try {
      payload = JSON.parse(body);
    } catch {
      payload = { type: "", timestamp: "", data: {} };
    }
    const request: ReceivedWebhook = { headers: flatten(req.headers), body, payload };
    const earlier = received.filter((r) => r.headers["webhook-id"] === request.headers["webhook-id"]);
    received.push(request);
    const reply = decide(request, earlier);
    if (reply === "hang") {
      hanging.add(res);
      return;
    }
    res.writeHead(reply.status, reply.location ? { location: reply.location } : {}).end(reply.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** What was received about one job. */
    about: (jobId: string) => received.filter((r) => r.payload.data?.id === jobId),
    answerWith(next: typeof answer) {
      decide = next;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** A URL on 127.0.0.1 nothing listens on: connections to it are refused. */
export async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks`;
}

/** A Standard Webhooks secret for a test endpoint. */
export const webhookSecret = (seed: string) => `whsec_${Buffer.from(seed.padEnd(32, ".").slice(0, 32)).toString("base64")}`;

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]));
}
