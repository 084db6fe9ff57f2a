import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../src/app.js";
import { offlineNote } from "../src/jobs/generation/offline-generator.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
let app: TestApp;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "offline-"));
  env = await createTestEnvironment();
  // No LLM_BASE_URL: the test environment serves the offline generator.
  app = await startTestApp(env, { overrides: { DATA_DIR: join(dir, "data") } });
});

afterAll(async () => {
  await app?.stop();
  await env?.teardown();
  await rm(dir, { recursive: true, force: true });
});

const jobQuery = /* GraphQL */ `
  query Job($id: ID!) { job(id: $id) { status output result artifacts { name url } } }
`;

async function run(subject: string, type: string, params: Record<string, unknown>) {
  await grant(env.sql, subject, 5);
  const token = await tokenFor(subject);
  const submitted = await gqlData(app.url, submitJobMutation, { input: { type, params } }, token);
  expect(submitted.submitJob.__typename).toBe("SubmitJobSuccess");
  const id = submitted.submitJob.job.id as string;
  return waitFor(
    async () => {
      const job = (await gqlData(app.url, jobQuery, { id }, token)).job;
      return job.status === "SUCCEEDED" || job.status === "FAILED" ? job : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100, what: `the ${type} job to finish` },
  );
}

const text = async (url: string) => (await fetch(url)).text();

describe("without a chat API, outside production", () => {
  it("story.generate streams the offline generator's story, which says what it is, and stores it as story.md", async () => {
    const job = await run("offline-story", "story.generate", { prompt: "a walk-through on a laptop", chapters: 2 });
    expect(job.status).toBe("SUCCEEDED");
    expect(job.output.startsWith(offlineNote)).toBe(true);
    expect(job.output).toContain("## Chapter 2");
    expect(job.result).toMatchObject({ writtenBy: "offline generator", chapters: 2 });
    expect(await text(job.artifacts.find((a: { name: string }) => a.name === "story.md").url)).toBe(job.output);
  });

  it("slides.generate speaks the offline generator's slides, which say what they are", async () => {
    const job = await run("offline-slides", "slides.generate", { topic: "Laptops", slideCount: 2 });
    expect(job.status).toBe("SUCCEEDED");
    expect(job.result).toMatchObject({ slides: 2, writtenBy: offlineNote });
    expect(job.artifacts.map((a: { name: string }) => a.name).sort()).toEqual(["slide-01.mp3", "slide-02.mp3", "slides.html", "slides.json"]);
    const json = JSON.parse(await text(job.artifacts.find((a: { name: string }) => a.name === "slides.json").url));
    expect(json.writtenBy).toBe(offlineNote);
    expect(json.slides[0].bullets).toContain(offlineNote);
  });
});

describe("without a chat API, in production", () => {
  it("the LLM types are not registered, and the start line says why", async () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const production = await startApp({
      config: env.config({ NODE_ENV: "production", ARTIFACT_URL_SECRET: "a-production-link-secret-0123456789abcdef", DATA_DIR: join(dir, "production"), LOG_LEVEL: "info" }),
      log: pino({ level: "info" }, sink),
    });
    try {
      const types = await gqlData(`http://127.0.0.1:${production.port}/graphql`, "{ jobTypes { name } }");
      const names = types.jobTypes.map((type: { name: string }) => type.name);
      expect(names).not.toContain("story.generate");
      expect(names).not.toContain("slides.generate");
      expect(names).toContain("speech.synthesize");
      const started = lines.findIndex((line) => line.msg === "job gateway started");
      expect(started).toBeGreaterThanOrEqual(0);
      expect(lines[started + 1]).toMatchObject({ msg: "slides.generate and story.generate are off: LLM_BASE_URL is not set" });
    } finally {
      await production.stop();
    }
  });
});
