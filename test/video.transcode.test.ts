import { readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { videoTranscode } from "../src/jobs/types/video-transcode.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { artifactRowsOf, downloadArtifact, ffprobe, makeVideoFile, mediaProcessesOf, mp4Boxes } from "./helpers/media.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";
import { tusUpload, uploadsEndpoint } from "./helpers/uploads.js";

const jobWithArtifacts = /* GraphQL */ `
  query Job($id: ID!) {
    job(id: $id) {
      id status attempts maxAttempts result cost error { message code attempt }
      events(first: 1000) { seq status progress message }
      artifacts { id name contentType size url }
    }
  }
`;

const cancelJobMutation = /* GraphQL */ `
  mutation Cancel($id: ID!) { cancelJob(id: $id) { __typename ... on CancelJobSuccess { balance job { status } } } }
`;

const t = useTestApp();
let dir: string;
// 10 s of 1280x720 and 3 s of 640x480 (the issue's own test video).
let wide: Buffer;
let small: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "transcode-test-"));
  wide = await readFile(await makeVideoFile(join(dir, "wide.mp4"), { seconds: 10, width: 1280, height: 720 }));
  small = await readFile(await makeVideoFile(join(dir, "small.mp4"), { seconds: 3, width: 640, height: 480 }));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function upload(token: string, data: Buffer, filename: string, filetype: string): Promise<string> {
  return (await tusUpload(uploadsEndpoint(t.app.url), data, { token, filename, filetype })).id;
}

async function submit(token: string, params: Record<string, unknown>) {
  return (await gqlData(t.app.url, submitJobMutation, { input: { type: "video.transcode", params } }, token)).submitJob;
}

async function finished(token: string, id: string) {
  return waitFor(
    async () => {
      const { job } = await gqlData(t.app.url, jobWithArtifacts, { id }, token);
      return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status) ? job : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 100, what: `job ${id} to finish` },
  );
}

const workDirsOf = (id: string) => readdirSync(tmpdir()).filter((name) => name.startsWith(`job-${id}-`));

it("an uploaded 720p video to 360p: progress rises steadily, the MP4 (H.264/AAC, fast start) has the input's duration and the asked height, with a poster", async () => {
  await grant(t.env.sql, "editor", 10);
  const token = await tokenFor("editor");
  const video = await upload(token, wide, "holiday.mp4", "video/mp4");
  const submitted = await submit(token, { video, height: 360 });
  expect(submitted.__typename, JSON.stringify(submitted)).toBe("SubmitJobSuccess");
  const job = await finished(token, submitted.job.id);
  expect(job.status, JSON.stringify(job.error)).toBe("SUCCEEDED");
  expect(job.attempts).toBe(1);

  // Progress: the encoded time over the duration, reported as ffmpeg goes, never going back.
  const fractions: number[] = job.events.filter((event: { status: string }) => event.status === "RUNNING").map((event: { progress: number }) => event.progress);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(new Set(fractions.filter((fraction) => fraction > 0.02 && fraction < 0.95)).size).toBeGreaterThanOrEqual(3);
  expect(fractions.at(-1)).toBe(1);
  expect(job.events.some((event: { message: string | null }) => event.message === "encoding 360p")).toBe(true);

  expect(job.artifacts.map((artifact: { name: string; contentType: string }) => [artifact.name, artifact.contentType]).sort()).toEqual([
    ["poster.jpg", "image/jpeg"],
    ["video.mp4", "video/mp4"],
  ]);
  const byName = Object.fromEntries(job.artifacts.map((artifact: { name: string }) => [artifact.name, artifact]));
  const mp4 = await downloadArtifact(byName["video.mp4"].url, dir, `${job.id}.mp4`);
  const probe = await ffprobe(mp4);
  expect(probe.video).toMatchObject({ codec_name: "h264", width: 640, height: 360, pix_fmt: "yuv420p" });
  expect(probe.audio).toMatchObject({ codec_name: "aac" });
  expect(Math.abs(probe.durationSeconds - 10)).toBeLessThanOrEqual(0.5);
  const boxes = await mp4Boxes(mp4);
  expect(boxes.indexOf("moov")).toBeGreaterThanOrEqual(0);
  expect(boxes.indexOf("moov")).toBeLessThan(boxes.indexOf("mdat"));

  const poster = await ffprobe(await downloadArtifact(byName["poster.jpg"].url, dir, `${job.id}.jpg`));
  expect(poster.video).toMatchObject({ codec_name: "mjpeg", width: 640, height: 360 });

  expect(job.result).toMatchObject({ width: 640, height: 360, requestedHeight: 360, hasAudio: true, source: { width: 1280, height: 720, videoCodec: "h264", audioCodec: "aac" } });
  expect(Math.abs(job.result.durationMs - probe.durationSeconds * 1000)).toBeLessThan(50);
  expect((await ledgerReport(t.env.sql)).find((row) => row.subject === "editor")).toMatchObject({ balance: 10 - videoTranscode.cost, succeededCost: videoTranscode.cost });
});

it("never upscales: the issue's 640x480 test video asked at 1080 stays 480 high", async () => {
  await grant(t.env.sql, "upscaler", 10);
  const token = await tokenFor("upscaler");
  const submitted = await submit(token, { video: await upload(token, small, "small.mp4", "video/mp4"), height: 1080 });
  const job = await finished(token, submitted.job.id);
  expect(job.status, JSON.stringify(job.error)).toBe("SUCCEEDED");
  const probe = await ffprobe(await downloadArtifact(job.artifacts.find((artifact: { name: string }) => artifact.name === "video.mp4").url, dir, `${job.id}.mp4`));
  expect(probe.video).toMatchObject({ width: 640, height: 480 });
  expect(Math.abs(probe.durationSeconds - 3)).toBeLessThanOrEqual(0.5);
  expect(job.result).toMatchObject({ width: 640, height: 480, requestedHeight: 1080 });
});

it("a text file uploaded as text is refused at submit, at its path, charging nothing", async () => {
  await grant(t.env.sql, "texter", 10);
  const token = await tokenFor("texter");
  const video = await upload(token, Buffer.from("this is not a video\n"), "notes.txt", "text/plain");
  const refused = await submit(token, { video, height: 720 });
  expect(refused.__typename).toBe("ValidationError");
  expect(refused.issues.map((issue: { path: string[] }) => issue.path)).toEqual([["input", "params", "video"]]);
  expect((await ledgerReport(t.env.sql)).find((row) => row.subject === "texter")).toMatchObject({ balance: 10, charged: 0 });
});

it("a text file uploaded as a video fails at once, without retries, refunded, and writes nothing", async () => {
  await grant(t.env.sql, "disguiser", 10);
  const token = await tokenFor("disguiser");
  const video = await upload(token, Buffer.from("this is not a video either\n"), "clip.mp4", "video/mp4");
  const submitted = await submit(token, { video, height: 720 });
  expect(submitted.__typename).toBe("SubmitJobSuccess");
  const job = await finished(token, submitted.job.id);
  expect(job).toMatchObject({ status: "FAILED", attempts: 1, maxAttempts: videoTranscode.maxAttempts, artifacts: [], error: { code: "NOT_A_VIDEO", attempt: 1 } });
  expect(job.error.message).toMatch(/^clip\.mp4 is not a video: ffprobe cannot read it/);
  // The worker's paths stay its own.
  expect(job.error.message).not.toContain(tmpdir());
  expect(job.events.filter((event: { status: string }) => event.status === "RETRYING")).toEqual([]);
  expect(await artifactRowsOf(t.env.sql, job.id)).toEqual([]);
  expect((await ledgerReport(t.env.sql)).find((row) => row.subject === "disguiser")).toMatchObject({ balance: 10, ledgerSum: 10, charged: 0 });
});

it("cancelling while ffmpeg encodes ends its process group at once: no process left, no artifact, no work directory, refunded", async () => {
  await grant(t.env.sql, "impatient", 10);
  const token = await tokenFor("impatient");
  const submitted = await submit(token, { video: await upload(token, wide, "long.mp4", "video/mp4"), height: 720 });
  const id = submitted.job.id;
  const encoding = await waitFor(() => mediaProcessesOf(id).find((found) => found.args.includes("libx264")), { timeoutMs: 30_000, intervalMs: 20, what: "ffmpeg to encode" });
  expect(encoding.pgid).toBe(encoding.pid);

  const cancelled = await gqlData(t.app.url, cancelJobMutation, { id }, token);
  expect(cancelled.cancelJob).toMatchObject({ __typename: "CancelJobSuccess", balance: 10, job: { status: "CANCELLED" } });
  await waitFor(() => mediaProcessesOf(id).length === 0, { timeoutMs: 3_000, intervalMs: 20, what: `no ffmpeg left for job ${id}` });
  await waitFor(() => workDirsOf(id).length === 0, { timeoutMs: 3_000, what: `job ${id}'s work directory to be removed` });
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(mediaProcessesOf(id)).toEqual([]);
  expect(await artifactRowsOf(t.env.sql, id)).toEqual([]);
  expect((await ledgerReport(t.env.sql)).find((row) => row.subject === "impatient")).toMatchObject({ balance: 10, ledgerSum: 10, charged: 0 });
});
