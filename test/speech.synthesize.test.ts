import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { speechSynthesize } from "../src/jobs/types/speech-synthesize.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { artifactRowsOf, downloadArtifact, ffprobe, mediaProcessesOf } from "./helpers/media.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp, type TestApp } from "./helpers/test-app.js";

const jobWithArtifacts = /* GraphQL */ `
  query Job($id: ID!) {
    job(id: $id) {
      id status attempts result cost error { message code attempt }
      events(first: 1000) { seq status progress message }
      artifacts { id name contentType size url }
    }
  }
`;

const cancelJobMutation = /* GraphQL */ `
  mutation Cancel($id: ID!) { cancelJob(id: $id) { __typename ... on CancelJobSuccess { balance job { status } } } }
`;

async function submit(app: TestApp, token: string, params: Record<string, unknown>): Promise<string> {
  const data = await gqlData(app.url, submitJobMutation, { input: { type: "speech.synthesize", params } }, token);
  expect(data.submitJob.__typename, JSON.stringify(data.submitJob)).toBe("SubmitJobSuccess");
  return data.submitJob.job.id;
}

async function finished(app: TestApp, token: string, id: string, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const { job } = await gqlData(app.url, jobWithArtifacts, { id }, token);
      return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status) ? job : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `job ${id} to finish` },
  );
}

/** The attempt work directories of a job still on disk (`job-<id>-<attempt>-…` in the temp directory). */
const workDirsOf = (id: string) => readdirSync(tmpdir()).filter((name) => name.startsWith(`job-${id}-`));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "speech-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("speech.synthesize with espeak-ng and ffmpeg", () => {
  const t = useTestApp();

  it("writes Ogg Opus audio that ffprobe reads, whose duration grows with the text, reporting progress per sentence", async () => {
    await grant(t.env.sql, "speaker", 20);
    const token = await tokenFor("speaker");
    const short = "Hello there.";
    const long = "Hello there. This is a longer text. It has six sentences in all! Does it take longer to say? It does. Every sentence adds to it.";
    const [shortId, longId] = [await submit(t.app, token, { text: short }), await submit(t.app, token, { text: long })];
    const [shortJob, longJob] = await Promise.all([finished(t.app, token, shortId), finished(t.app, token, longId)]);

    const probes = [];
    for (const job of [shortJob, longJob]) {
      expect(job.status, JSON.stringify(job.error)).toBe("SUCCEEDED");
      expect(job.attempts).toBe(1);
      expect(job.artifacts).toEqual([expect.objectContaining({ name: "speech.ogg", contentType: "audio/ogg" })]);
      const file = await downloadArtifact(job.artifacts[0].url, dir, `${job.id}.ogg`);
      const probe = await ffprobe(file);
      expect(probe.formatName).toBe("ogg");
      expect(probe.streams.map((stream) => `${stream.codec_type}/${stream.codec_name}`)).toEqual(["audio/opus"]);
      expect(probe.durationSeconds).toBeGreaterThan(0.3);
      // The result's duration is the file's.
      expect(Math.abs(job.result.durationMs - probe.durationSeconds * 1000)).toBeLessThan(50);
      expect(job.result).toMatchObject({ format: "ogg", voice: "en-us", speed: 175, artifact: { id: job.artifacts[0].id, name: "speech.ogg" } });
      probes.push(probe);
    }
    // Six sentences take well over twice as long to say as one.
    expect(probes[1]!.durationSeconds).toBeGreaterThan(probes[0]!.durationSeconds * 3);
    expect(longJob.result.sentences).toBe(6);

    const progress = longJob.events.filter((event: { status: string }) => event.status === "RUNNING");
    const sentenceMessages = progress.map((event: { message: string | null }) => event.message).filter((message: string | null) => message?.startsWith("sentence "));
    expect(sentenceMessages).toEqual([1, 2, 3, 4, 5, 6].map((n) => `sentence ${n} of 6`));
    const fractions = progress.map((event: { progress: number }) => event.progress);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);

    const report = (await ledgerReport(t.env.sql)).find((row) => row.subject === "speaker")!;
    expect(report).toMatchObject({ balance: 20 - 2 * speechSynthesize.cost, ledgerSum: 20 - 2 * speechSynthesize.cost, succeededCost: 2 * speechSynthesize.cost });
  });

  it("writes MP3 by the format param, in the voice and variant asked", async () => {
    await grant(t.env.sql, "mp3-speaker", 5);
    const token = await tokenFor("mp3-speaker");
    const id = await submit(t.app, token, { text: "Good morning. How are you today?", voice: "en-gb", variant: "f3", speed: 220, format: "mp3" });
    const job = await finished(t.app, token, id);
    expect(job.status, JSON.stringify(job.error)).toBe("SUCCEEDED");
    expect(job.artifacts).toEqual([expect.objectContaining({ name: "speech.mp3", contentType: "audio/mpeg" })]);
    const probe = await ffprobe(await downloadArtifact(job.artifacts[0].url, dir, `${id}.mp3`));
    expect(probe.formatName).toBe("mp3");
    expect(probe.audio?.codec_name).toBe("mp3");
    expect(job.result).toMatchObject({ format: "mp3", voice: "en-gb", variant: "f3", speed: 220 });
  });

  it("refuses at submit a voice espeak-ng does not offer, a speed outside its range and a text with nothing to say, charging nothing", async () => {
    await grant(t.env.sql, "bad-speaker", 2);
    const token = await tokenFor("bad-speaker");
    for (const [params, path] of [
      [{ text: "Hi.", voice: "klingon" }, ["voice"]],
      [{ text: "Hi.", speed: 1000 }, ["speed"]],
      [{ text: " … " }, ["text"]],
    ] as const) {
      const data = await gqlData(t.app.url, submitJobMutation, { input: { type: "speech.synthesize", params } }, token);
      expect(data.submitJob.__typename).toBe("ValidationError");
      expect(data.submitJob.issues.map((issue: { path: string[] }) => issue.path)).toContainEqual(["input", "params", ...path]);
    }
    expect((await ledgerReport(t.env.sql)).find((row) => row.subject === "bad-speaker")).toMatchObject({ balance: 2, charged: 0 });
  });

  // Long sentences at the slowest speed: each espeak-ng run lasts a while, and the encode of the whole takes seconds.
  const longText = Array.from({ length: 24 }, (_, i) => `Sentence ${i + 1} goes on and on, ${"with many more words that keep it going ".repeat(9).trim()}.`).join(" ");

  for (const phase of ["espeak-ng", "ffmpeg"] as const) {
    it(`cancelling while ${phase} runs ends it and its process group at once: no process left, no artifact, no work directory, refunded`, async () => {
      const subject = `canceller-${phase}`;
      await grant(t.env.sql, subject, 2);
      const token = await tokenFor(subject);
      const id = await submit(t.app, token, { text: longText, speed: 80 });
      const running = await waitFor(() => mediaProcessesOf(id).find((found) => found.args.startsWith(phase) || found.args.includes(`/${phase} `)), {
        timeoutMs: 60_000,
        intervalMs: 20,
        what: `${phase} to run for job ${id}`,
      });
      // In a process group of its own, not the worker's.
      expect(running.pgid).toBe(running.pid);

      const cancelled = await gqlData(t.app.url, cancelJobMutation, { id }, token);
      expect(cancelled.cancelJob).toMatchObject({ __typename: "CancelJobSuccess", balance: 2, job: { status: "CANCELLED" } });
      await waitFor(() => mediaProcessesOf(id).length === 0, { timeoutMs: 3_000, intervalMs: 20, what: `no espeak-ng or ffmpeg left for job ${id}` });
      await waitFor(() => workDirsOf(id).length === 0, { timeoutMs: 3_000, what: `job ${id}'s work directory to be removed` });
      // Nothing starts again afterwards.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(mediaProcessesOf(id)).toEqual([]);
      expect(await artifactRowsOf(t.env.sql, id)).toEqual([]);
      const { job } = await gqlData(t.app.url, jobWithArtifacts, { id }, token);
      expect(job).toMatchObject({ status: "CANCELLED", artifacts: [] });
      expect((await ledgerReport(t.env.sql)).find((row) => row.subject === subject)).toMatchObject({ balance: 2, ledgerSum: 2, charged: 0 });
    });
  }
});

describe("speech.synthesize past its timeout", () => {
  // The type with a short timeout and one attempt (and no estimate, so the submit is not refused as too long).
  const t = useTestApp({ jobTypes: [{ ...speechSynthesize, timeoutMs: 1_500, maxAttempts: 1, estimateMs: null }] });

  it("ends espeak-ng or ffmpeg when the attempt times out: FAILED with TIMEOUT, refunded, nothing left running or written", async () => {
    await grant(t.env.sql, "slow-speaker", 2);
    const token = await tokenFor("slow-speaker");
    const text = Array.from({ length: 150 }, (_, i) => `Sentence number ${i + 1} is here, and it is not short at all.`).join(" ");
    const id = await submit(t.app, token, { text, speed: 80 });
    await waitFor(() => mediaProcessesOf(id).length > 0 || undefined, { timeoutMs: 10_000, intervalMs: 20, what: "a child process of the job" });
    const job = await finished(t.app, token, id, 10_000);
    expect(job).toMatchObject({ status: "FAILED", attempts: 1, error: { code: "TIMEOUT" }, artifacts: [] });
    await waitFor(() => mediaProcessesOf(id).length === 0, { timeoutMs: 3_000, intervalMs: 20, what: `no espeak-ng or ffmpeg left for job ${id}` });
    await waitFor(() => workDirsOf(id).length === 0, { timeoutMs: 3_000, what: `job ${id}'s work directory to be removed` });
    expect(await artifactRowsOf(t.env.sql, id)).toEqual([]);
    expect((await ledgerReport(t.env.sql)).find((row) => row.subject === "slow-speaker")).toMatchObject({ balance: 2, ledgerSum: 2 });
  });
});
