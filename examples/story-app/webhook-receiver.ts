// The app's backend, as far as webhooks go: verifies each delivery, drops repeats, answers 2xx fast.
import { createServer } from "node:http";
import { verifyWebhook, WebhookVerificationError } from "job-gateway";
import { webhookSecret, webhookUrl } from "./settings.js";

const port = Number(process.env.WEBHOOK_PORT ?? new URL(webhookUrl).port);
// A delivery is sent at least once: the same webhook-id may come again. A real app keeps these in its database.
const seen = new Set<string>();

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  let event: { type: string; data: { id: string; type: string; status: string } };
  try {
    event = verifyWebhook(webhookSecret, body, req.headers);
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    res.writeHead(401).end();
    return;
  }
  const id = String(req.headers["webhook-id"]);
  if (!seen.has(id)) {
    seen.add(id);
    console.log(JSON.stringify({ webhookId: id, event: event.type, job: event.data.id, jobType: event.data.type, status: event.data.status }));
  }
  res.writeHead(204).end();
});

server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`webhook receiver on http://127.0.0.1:${typeof address === "object" && address ? address.port : port}/webhooks`);
});
