import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { webhookBody } from "../../src/webhooks/payload.js";
import { makeWebhookRouting } from "../../src/webhooks/routing.js";
import { signedWebhookRequest } from "../../src/webhooks/signed-request.js";

// As jsonb hands a stored payload back: its keys shortest first.
const stored = {
  data: {
    id: "6f1c3f0e-5a47-4d53-9a1e-2f6f1d1c2b3a",
    cost: 3,
    type: "demo.simulate",
    owner: { subject: "alice", id: "0b7a4f1e-1111-4222-8333-444455556666" },
    status: "SUCCEEDED",
    result: { pages: [1, 2] },
    attempts: 2,
    refunded: 0,
    createdAt: "2024-05-01T10:00:00.000Z",
    finishedAt: "2024-05-01T10:00:05.123Z",
  },
  type: "job.succeeded",
  timestamp: "2024-05-01T10:00:05.123Z",
};

describe("webhookBody", () => {
  it("writes the payload in its documented order, values untouched", () => {
    const body = webhookBody(stored);
    expect(JSON.parse(body)).toEqual(stored);
    expect(body).toBe(
      '{"type":"job.succeeded","timestamp":"2024-05-01T10:00:05.123Z","data":{"id":"6f1c3f0e-5a47-4d53-9a1e-2f6f1d1c2b3a",' +
        '"type":"demo.simulate","status":"SUCCEEDED","result":{"pages":[1,2]},"owner":{"id":"0b7a4f1e-1111-4222-8333-444455556666","subject":"alice"},' +
        '"cost":3,"refunded":0,"attempts":2,"createdAt":"2024-05-01T10:00:00.000Z","finishedAt":"2024-05-01T10:00:05.123Z"}}',
    );
  });

  it("keeps a key it does not know, after the known ones, and a null result or error", () => {
    const body = webhookBody({ zeta: 1, ...stored, data: { extra: true, ...stored.data, error: null } });
    expect(Object.keys(JSON.parse(body))).toEqual(["type", "timestamp", "data", "zeta"]);
    expect(Object.keys(JSON.parse(body).data).slice(-1)).toEqual(["extra"]);
    expect(JSON.parse(body).data.error).toBeNull();
  });

  it("is the same text every time for the same payload", () => {
    expect(webhookBody(structuredClone(stored))).toBe(webhookBody(stored));
  });

  it("serializes a payload of another shape as it is", () => {
    expect(webhookBody([1, 2])).toBe("[1,2]");
    expect(webhookBody({ type: "x", data: "text" })).toBe('{"type":"x","data":"text"}');
  });
});

describe("signedWebhookRequest", () => {
  const secret = `whsec_${Buffer.from("a secret of thirty-two bytes!!!!").toString("base64")}`;
  const deliveryId = "2d9bd3a4-5c9b-4b8a-8f62-0d8c0b6f3a11";

  it("carries Standard Webhooks headers that the library verifies", () => {
    const body = webhookBody(stored);
    const request = signedWebhookRequest(secret, deliveryId, body, new Date());
    expect(request.body).toBe(body);
    expect(request.headers).toMatchObject({ "content-type": "application/json", "webhook-id": deliveryId });
    expect(request.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(stored);
  });

  it("timestamps each try in seconds, so a retry is signed afresh under the same id", () => {
    const at = new Date("2024-05-01T10:00:05.999Z");
    const first = signedWebhookRequest(secret, deliveryId, "{}", at);
    const later = signedWebhookRequest(secret, deliveryId, "{}", new Date(at.getTime() + 60_000));
    expect(first.headers["webhook-timestamp"]).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(later.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(later.headers["webhook-signature"]).not.toBe(first.headers["webhook-signature"]);
  });

  it("does not verify with another secret or another body", () => {
    const request = signedWebhookRequest(secret, deliveryId, '{"a":1}', new Date());
    const other = `whsec_${Buffer.from("another secret, thirty-two bytes").toString("base64")}`;
    expect(() => new Webhook(other).verify(request.body, request.headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify('{"a":2}', request.headers)).toThrow(WebhookVerificationError);
  });
});

describe("makeWebhookRouting", () => {
  const a = { url: "http://a.example/hook", events: ["job.succeeded", "job.failed"] as const, secret: "whsec_a" };
  const b = { url: "http://b.example/hook", events: ["job.failed"] as const, secret: "whsec_b" };

  it("names the endpoints that listen to each event", () => {
    const routing = makeWebhookRouting([a, b]);
    expect(routing.endpointsFor("job.succeeded")).toEqual([a]);
    expect(routing.endpointsFor("job.failed")).toEqual([a, b]);
    expect(routing.endpointsFor("job.cancelled")).toEqual([]);
  });

  it("tells an endpoint listed twice (same URL) once", () => {
    const routing = makeWebhookRouting([a, { ...a, events: ["job.failed", "job.failed"] }]);
    expect(routing.endpointsFor("job.failed")).toEqual([a]);
  });

  it("without endpoints routes nothing", () => {
    expect(makeWebhookRouting([]).endpointsFor("job.succeeded")).toEqual([]);
  });
});
