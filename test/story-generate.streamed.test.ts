import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobTimeoutError } from "../src/domain/errors.js";
import { createOpenAiChatModel } from "../src/llm/openai-chat-model.js";
import { startFakeChatApi, type FakeChatApi } from "./helpers/fake-chat-api.js";
import { gqlData, openWebSocketSubscription } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { RawGraphqlWs } from "./helpers/raw-graphql-ws.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

/** The story the fake model streams, one delta per SSE event. */
const deltas = [
  "# The Keeper\n\n",
  "## Chapter 1: Light\n\n",
  "Every night ",
  "the keeper climbed ",
  "the stairs. ",
  "Grüße, ships! 🚢\n\n",
  "## Chapter 2: Fog\n\n",
  "One night ",
  "the fog came, ",
  "and the light ",
  "held.\n",
];
const story = deltas.join("");

/** Deltas the fake may send so far, per prompt: the test lets them out one at a time. */
const allowed = new Map<string, { count: number; wake: (() => void)[] }>();
const gateFor = (prompt: string) => {
  let gate = allowed.get(prompt);
  if (!gate) allowed.set(prompt, (gate = { count: 0, wake: [] }));
  return gate;
};
const allow = (prompt: string, count = 1) => {
  const gate = gateFor(prompt);
  gate.count += count;
  for (const wake of gate.wake.splice(0)) wake();
};

let env: TestEnvironment;
let app: TestApp;
let api: FakeChatApi;
let dataDir: string;

beforeAll(async () => {
  api = await startFakeChatApi((request) => {
    if (!request.body.stream) return { content: "a whole answer, late", delayMs: 30_000 };
    if (request.body.messages.at(-1)!.content.includes("a story cut short")) return { deltas: deltas.slice(0, 3), cut: true };
    const prompt = /Write a story about: (.*)$/m.exec(request.body.messages.at(-1)!.content)![1]!;
    const gate = gateFor(prompt);
    return {
      deltas,
      gate: async (index) => {
        while (gate.count <= index) await new Promise<void>((resolve) => gate.wake.push(resolve));
      },
    };
  });
  dataDir = await mkdtemp(join(tmpdir(), "story-"));
  env = await createTestEnvironment();
  app = await startTestApp(env, { overrides: { LLM_BASE_URL: api.url, LLM_API_KEY: "sk-test", LLM_MODEL: "fake-model", DATA_DIR: dataDir } });
});

afterAll(async () => {
  await app?.stop();
  await env?.teardown();
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const outputSubscription = /* GraphQL */ `
  subscription Output($id: ID!, $offset: Int, $attempt: Int) {
    jobOutput(id: $id, offset: $offset, attempt: $attempt) { jobId attempt offset text }
  }
`;
const storyJobQuery = /* GraphQL */ `
  query Story($id: ID!) {
    job(id: $id) { status attempts output result progress error { code } artifacts { name contentType size url } }
  }
`;

interface Chunk {
  attempt: number;
  offset: number;
  text: string;
}

async function submitStory(subject: string, prompt: string) {
  await grant(env.sql, subject, 10);
  const token = await tokenFor(subject);
  const submitted = await gqlData(app.url, submitJobMutation, { input: { type: "story.generate", params: { prompt, chapters: 2 } } }, token);
  expect(submitted.submitJob.__typename).toBe("SubmitJobSuccess");
  return { token, id: submitted.submitJob.job.id as string };
}

const textOf = (chunks: Chunk[]) => chunks.map((chunk) => chunk.text).join("");

describe("story.generate against an OpenAI-compatible API", () => {
  it("streams the story to subscribers while the model writes it, resumes after a reconnect with no gap, and stores exactly the streamed text as story.md", async () => {
    const prompt = "a lighthouse keeper";
    const { token, id } = await submitStory("story-live", prompt);

    // Over graphql-ws: each delta reaches the subscriber before the model may write the next one.
    const first = openWebSocketSubscription(app.url, token, outputSubscription, { id });
    const received: Chunk[] = [];
    try {
      while (gateFor(prompt).count < 5) {
        allow(prompt);
        const wanted = deltas.slice(0, gateFor(prompt).count).join("");
        while (textOf(received) !== wanted) {
          const payload = await first.next();
          expect(payload?.errors).toBeUndefined();
          received.push(payload!.data!.jobOutput as Chunk);
          expect(wanted.startsWith(textOf(received))).toBe(true);
        }
      }
    } finally {
      // The connection drops.
      await first.close();
    }
    expect(received.every((chunk) => chunk.attempt === 1)).toBe(true);

    // Written while no one listens.
    allow(prompt, 3);
    const upTo = deltas.slice(0, 8).join("");
    await waitFor(async () => (await gqlData(app.url, storyJobQuery, { id }, token)).job.output === upTo || undefined, { what: "8 deltas written" });

    // A new socket, by hand: subscribe from the last chunk's attempt and end.
    const last = received.at(-1)!;
    const socket = await RawGraphqlWs.open(app.url);
    const resumed: Chunk[] = [];
    try {
      await socket.initAndAck(token);
      socket.subscribe("resume", outputSubscription, { id, attempt: last.attempt, offset: last.offset + last.text.length });
      await socket.waitFor(() => socket.about("resume").some((m) => m.type === "next"), { what: "the chunks written meanwhile" });
      allow(prompt, deltas.length);
      await socket.waitFor(() => socket.about("resume").some((m) => m.type === "complete"), { what: "the stream to end", timeoutMs: 15_000 });
      for (const message of socket.about("resume")) {
        expect(message.type === "next" || message.type === "complete").toBe(true);
        if (message.type === "next") {
          expect(message.payload.errors).toBeUndefined();
          resumed.push(message.payload.data.jobOutput as Chunk);
        }
      }
    } finally {
      socket.close();
    }
    let at = last.offset + last.text.length;
    for (const chunk of resumed) {
      expect(chunk).toMatchObject({ attempt: 1, offset: at });
      at += chunk.text.length;
    }
    expect(textOf(received) + textOf(resumed)).toBe(story);

    const job = (await gqlData(app.url, storyJobQuery, { id }, token)).job;
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 1, output: story, progress: 1 });
    expect(job.result).toMatchObject({ title: "The Keeper", chapters: 2, characters: story.length, writtenBy: `fake-model at ${api.url}` });
    expect(job.artifacts.map((artifact: { name: string }) => artifact.name)).toEqual(["story.md"]);
    const [artifact] = job.artifacts;
    expect(artifact.contentType).toBe("text/markdown; charset=utf-8");
    const download = await fetch(artifact.url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(story);
    expect(artifact.size).toBe(Buffer.byteLength(story));

    // What the API was asked: the model, streamed, with the key and the prompt.
    const request = api.requests.find((r) => r.body.messages.at(-1)!.content.includes(prompt))!;
    expect(request.body).toMatchObject({ model: "fake-model", stream: true });
    expect(request.authorization).toBe("Bearer sk-test");
    expect(request.body.messages[0]!.content).toContain("Write exactly 2 chapters");
  });

  it("a cancel ends the HTTP stream from the model at once, keeps no story.md and refunds", async () => {
    const prompt = "a story nobody finishes";
    const { token, id } = await submitStory("story-cancel", prompt);
    allow(prompt, 3);
    await waitFor(async () => (await gqlData(app.url, storyJobQuery, { id }, token)).job.output === deltas.slice(0, 3).join("") || undefined, {
      what: "the first deltas",
    });
    const request = api.requests.find((r) => r.body.messages.at(-1)!.content.includes(prompt))!;
    let closedAt: number | null = null;
    void request.closed.then(() => (closedAt = Date.now()));

    const cancelledAt = Date.now();
    const cancelled = await gqlData(app.url, `mutation($id: ID!) { cancelJob(id: $id) { __typename ... on CancelJobSuccess { balance } } }`, { id }, token);
    expect(cancelled.cancelJob).toEqual({ __typename: "CancelJobSuccess", balance: 10 });
    await waitFor(() => closedAt !== null || undefined, { timeoutMs: 3_000, what: "the model's stream to be closed" });
    expect(closedAt! - cancelledAt).toBeLessThan(2_000);
    expect(request.finished).toBe(false);

    const job = (await gqlData(app.url, storyJobQuery, { id }, token)).job;
    expect(job.status).toBe("CANCELLED");
    expect(job.artifacts).toEqual([]);
    const report = (await ledgerReport(env.sql)).find((r) => r.subject === "story-cancel")!;
    expect(report).toMatchObject({ balance: 10, ledgerSum: 10 });
  });
});

describe("the chat client", () => {
  const messages = (prompt: string) => [{ role: "user" as const, content: `Write a story about: ${prompt}` }];
  const closedWithin = async (prompt: string, ms: number) => {
    const request = await waitFor(() => api.requests.find((r) => r.body.messages.at(-1)!.content.includes(prompt)), { what: "the request" });
    const at = Date.now();
    await Promise.race([request.closed, new Promise((_, reject) => setTimeout(() => reject(new Error("the request is still open")), ms))]);
    return { request, after: Date.now() - at };
  };

  it("an attempt's timeout ends a stream from the model at once, with the timeout as the reason", async () => {
    const chat = createOpenAiChatModel({ baseUrl: api.url, apiKey: null, model: "fake-model" });
    const attempt = new AbortController();
    const prompt = "a story that times out";
    allow(prompt, 2);
    const deltasSeen: string[] = [];
    const reading = (async () => {
      for await (const delta of chat.stream({ messages: messages(prompt), signal: attempt.signal })) deltasSeen.push(delta);
    })();
    await waitFor(() => deltasSeen.length === 2 || undefined, { what: "two deltas" });
    attempt.abort(new JobTimeoutError(100));
    await expect(reading).rejects.toBeInstanceOf(JobTimeoutError);
    const { request } = await closedWithin(prompt, 1_000);
    expect(request.finished).toBe(false);
  });

  it("a stream that breaks off before the model finished is an error, not a shorter story", async () => {
    const chat = createOpenAiChatModel({ baseUrl: api.url, apiKey: null, model: "fake-model" });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const delta of chat.stream({ messages: messages("a story cut short"), signal: new AbortController().signal })) seen.push(delta);
    })();
    await expect(reading).rejects.toMatchObject({ name: "ChatError", code: "LLM_UNAVAILABLE" });
    expect(seen.join("")).toBe(deltas.slice(0, 3).join(""));
  });

  it("and a whole-answer request (the slides' JSON) just as soon", async () => {
    const chat = createOpenAiChatModel({ baseUrl: api.url, apiKey: null, model: "fake-model" });
    const attempt = new AbortController();
    const asking = chat.complete({ messages: messages("slides that time out"), json: true, signal: attempt.signal });
    await waitFor(() => api.requests.some((r) => r.body.messages.at(-1)!.content.includes("slides that time out")) || undefined, { what: "the request" });
    attempt.abort(new JobTimeoutError(100));
    await expect(asking).rejects.toBeInstanceOf(JobTimeoutError);
    await closedWithin("slides that time out", 1_000);
  });
});
