import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeChatApi, type FakeChatAnswer, type FakeChatApi } from "./helpers/fake-chat-api.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

const run = promisify(execFile);

const deck = (count: number) => ({
  title: "Volcanoes",
  slides: Array.from({ length: count }, (_, i) => ({
    title: `Volcanoes, part ${i + 1}`,
    bullets: [`Point ${i + 1}.1`, `Point ${i + 1}.2 <b>bold?</b>`],
    script: `This is slide ${i + 1} about volcanoes. Magma rises, and the mountain grows.`,
  })),
});

/** What the fake answers, by topic: each request for a topic takes the next answer of its list (the last one repeats). */
const answersByTopic: Record<string, FakeChatAnswer[]> = {
  "volcanoes": [{ content: JSON.stringify(deck(13)) }],
  "glaciers (malformed)": [{ content: "Sure! Here are your slides about glaciers: 1. Ice 2. More ice" }],
  "tides (malformed once)": [{ content: JSON.stringify({ title: "Tides", slides: [{ title: "only a title" }] }) }, { content: JSON.stringify(deck(2)) }],
  "refused": [{ status: 401, message: "Incorrect API key provided" }],
};
const asked = new Map<string, number>();

let env: TestEnvironment;
let app: TestApp;
let api: FakeChatApi;
let dir: string;

beforeAll(async () => {
  api = await startFakeChatApi((request) => {
    const topic = /^Topic: (.*)$/m.exec(request.body.messages.at(-1)!.content)![1]!;
    const answers = answersByTopic[topic]!;
    const index = asked.get(topic) ?? 0;
    asked.set(topic, index + 1);
    return answers[Math.min(index, answers.length - 1)]!;
  });
  dir = await mkdtemp(join(tmpdir(), "slides-"));
  env = await createTestEnvironment();
  app = await startTestApp(env, { overrides: { LLM_BASE_URL: api.url, LLM_MODEL: "fake-model", DATA_DIR: join(dir, "data") } });
});

afterAll(async () => {
  await app?.stop();
  await env?.teardown();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

const slidesJobQuery = /* GraphQL */ `
  query Slides($id: ID!) {
    job(id: $id) {
      status attempts result progress
      error { message code attempt }
      artifacts { name contentType size url }
      events(first: 1000) { status progress message }
    }
  }
`;

async function submitSlides(subject: string, params: Record<string, unknown>) {
  await grant(env.sql, subject, 3);
  const token = await tokenFor(subject);
  const submitted = await gqlData(app.url, submitJobMutation, { input: { type: "slides.generate", params } }, token);
  expect(submitted.submitJob.__typename).toBe("SubmitJobSuccess");
  expect(submitted.submitJob.balance).toBe(0);
  return { token, id: submitted.submitJob.job.id as string };
}

async function finished(id: string, token: string, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const job = (await gqlData(app.url, slidesJobQuery, { id }, token)).job;
      return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status) ? job : undefined;
    },
    { timeoutMs, intervalMs: 200, what: "the slides job to finish" },
  );
}

async function durationOf(bytes: Buffer, name: string): Promise<number> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const { stdout } = await run("ffprobe", ["-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "json", path]);
  const probe = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_name: string }[] };
  expect(probe.streams[0]!.codec_name).toBe("mp3");
  return Number(probe.format.duration);
}

describe("slides.generate against an OpenAI-compatible API", () => {
  it("writes 13 slides from the model's JSON, speaks each one, and keeps slides.json, a self-contained slides.html and the 13 audio files", async () => {
    const { token, id } = await submitSlides("slides-13", { topic: "volcanoes", audience: "ten-year-olds" });
    const job = await finished(id, token);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 1, progress: 1 });
    expect(job.result).toMatchObject({ title: "Volcanoes", slides: 13, writtenBy: `fake-model at ${api.url}` });

    const audioNames = Array.from({ length: 13 }, (_, i) => `slide-${String(i + 1).padStart(2, "0")}.mp3`);
    const artifacts = new Map<string, { contentType: string; size: number; url: string }>(job.artifacts.map((a: { name: string }) => [a.name, a]));
    expect([...artifacts.keys()].sort()).toEqual([...audioNames, "slides.html", "slides.json"].sort());
    const download = async (name: string) => Buffer.from(await (await fetch(artifacts.get(name)!.url)).arrayBuffer());

    const json = JSON.parse((await download("slides.json")).toString("utf8"));
    expect(json).toMatchObject({ title: "Volcanoes", topic: "volcanoes", language: "en-us", audience: "ten-year-olds", writtenBy: `fake-model at ${api.url}` });
    expect(json.slides).toHaveLength(13);
    for (const [index, slide] of json.slides.entries()) {
      expect(slide).toMatchObject({ number: index + 1, title: `Volcanoes, part ${index + 1}`, script: deck(13).slides[index]!.script });
      expect(slide.audio).toMatchObject({ name: audioNames[index], contentType: "audio/mpeg" });
      expect(slide.audio.durationMs).toBeGreaterThan(1_000);
    }

    // Every audio file is MP3 that ffprobe reads, as long as slides.json says.
    const audio = await Promise.all(audioNames.map(download));
    for (const [index, bytes] of audio.entries()) {
      expect(artifacts.get(audioNames[index]!)!.contentType).toBe("audio/mpeg");
      expect(Math.abs((await durationOf(bytes, audioNames[index]!)) * 1000 - json.slides[index].audio.durationMs)).toBeLessThan(100);
    }

    // The deck plays each slide's own audio, carried inside it, and escapes what the model wrote.
    const html = (await download("slides.html")).toString("utf8");
    expect(artifacts.get("slides.html")!.contentType).toBe("text/html; charset=utf-8");
    const sources = [...html.matchAll(/<audio [^>]*src="data:audio\/mpeg;base64,([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual(audio.map((bytes) => bytes.toString("base64")));
    expect(html).toContain("Point 1.2 &lt;b&gt;bold?&lt;/b&gt;");
    expect(html).not.toContain("<b>bold?</b>");

    // Progress: the slides written, then one report per slide spoken, rising.
    const messages: string[] = job.events.map((event: { message: string | null }) => event.message ?? "");
    expect(messages).toContain("13 slides written; speaking them");
    for (let spoken = 1; spoken <= 13; spoken++) expect(messages.some((m) => m.startsWith(`slide ${spoken} of 13 spoken`))).toBe(true);
    const fractions = job.events.map((event: { progress: number }) => event.progress);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);

    // Asked as JSON, for 13 slides.
    const request = api.requests.find((r) => r.body.messages.at(-1)!.content.includes("Topic: volcanoes"))!;
    expect(request.body).toMatchObject({ model: "fake-model", response_format: { type: "json_object" } });
    expect(request.body.stream ?? false).toBe(false);
    expect(request.body.messages[0]!.content).toContain("Write exactly 13 slides");
    expect(request.body.messages.at(-1)!.content).toContain("Audience: ten-year-olds");
  }, 90_000);

  it("a malformed answer fails the attempt, which is retried; after the last attempt the job is FAILED and refunded", async () => {
    const { token, id } = await submitSlides("slides-malformed", { topic: "glaciers (malformed)", slideCount: 3 });
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "FAILED", attempts: 3, error: { code: "LLM_BAD_ANSWER", attempt: 3 } });
    expect(job.error.message).toContain("not JSON");
    expect(job.artifacts).toEqual([]);
    expect(asked.get("glaciers (malformed)")).toBe(3);
    const statuses = job.events.map((event: { status: string }) => event.status);
    expect(statuses.filter((status: string) => status === "RETRYING")).toHaveLength(2);
    const report = (await ledgerReport(env.sql)).find((r) => r.subject === "slides-malformed")!;
    expect(report).toMatchObject({ balance: 3, ledgerSum: 3, charged: 0, succeededCost: 0 });
  }, 60_000);

  it("an answer of the wrong shape is retried, and the next good answer succeeds, charged once", async () => {
    const { token, id } = await submitSlides("slides-retried", { topic: "tides (malformed once)", slideCount: 2 });
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(job.artifacts.map((a: { name: string }) => a.name).sort()).toEqual(["slide-01.mp3", "slide-02.mp3", "slides.html", "slides.json"]);
    const report = (await ledgerReport(env.sql)).find((r) => r.subject === "slides-retried")!;
    expect(report).toMatchObject({ balance: 0, ledgerSum: 0, charged: 3, succeededCost: 3 });
  }, 60_000);

  it("a refusal by the API (a bad key) fails the job at once, without retries, refunded", async () => {
    const { token, id } = await submitSlides("slides-refused", { topic: "refused", slideCount: 2 });
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "FAILED", attempts: 1, error: { code: "LLM_REFUSED", attempt: 1 } });
    expect(job.error.message).toContain("401");
    expect(asked.get("refused")).toBe(1);
    const report = (await ledgerReport(env.sql)).find((r) => r.subject === "slides-refused")!;
    expect(report).toMatchObject({ balance: 3, ledgerSum: 3 });
  });
});
