import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { findExecutable } from "../src/processes/find-executable.js";
import { uploadRef } from "../src/index.js";
import { gqlData } from "./helpers/graphql-client.js";
import { defineTestJobType } from "./helpers/job-types.js";
import { waitFor } from "./helpers/processes.js";
import { jobQuery, submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";
import { createRawUpload, cutPatch, makeTestVideo, tusFetch, tusUpload, uploadsEndpoint } from "./helpers/uploads.js";

// @tus/s3-store resumes through S3's ListParts, which s3rver lacks: these run against moto's S3 server where it is installed.
const motoServer = findExecutable("moto_server");
const bucket = "uploads-test";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

const readVideo = defineTestJobType({
  name: "test.read-s3-video",
  description: "reads an uploaded video",
  cost: 1,
  params: z.object({ video: uploadRef({ accept: ["video/*"] }) }),
  run: async (ctx) => {
    const file = await ctx.uploads.open(ctx.params.video);
    return { sha256: sha256(await readFile(file.path)), inWorkDir: file.path.startsWith(ctx.workDir) };
  },
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(motoServer === null)("uploads in an S3 store (UPLOAD_STORE=s3)", () => {
  let moto: ChildProcess;
  let env: TestEnvironment;
  let app: TestApp;
  let s3: S3Client;

  beforeAll(async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    moto = spawn(motoServer!, ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    await waitFor(() => fetch(endpoint).then((r) => r.ok, () => false), { what: "moto's S3 server", timeoutMs: 20_000 });
    s3 = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    env = await createTestEnvironment();
    app = await startTestApp(env, {
      jobTypes: [readVideo],
      overrides: {
        UPLOAD_STORE: "s3",
        S3_BUCKET: bucket,
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY_ID: "test",
        S3_SECRET_ACCESS_KEY: "test",
        STARTING_CREDITS: "5",
        UPLOAD_SWEEP_MS: "100",
      },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await env?.teardown();
    s3?.destroy();
    moto?.kill("SIGTERM");
  });

  const objectBytes = async (key: string) => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
  const objectExists = (key: string) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(() => true, () => false);

  it("takes a video cut mid-PATCH and resumed, stores it under uploads/<id>, and a worker reads the same bytes from a download", async () => {
    const alice = await tokenFor("alice");
    const video = await makeTestVideo();
    const created = await createRawUpload(uploadsEndpoint(app.url), alice, video.length, { filename: "clip.mp4", filetype: "video/mp4" });
    expect(created.status).toBe(201);
    const url = new URL(created.headers.get("location")!, uploadsEndpoint(app.url)).href;
    const id = url.split("/").pop()!;

    await cutPatch(url, alice, video, Math.floor(video.length / 2));
    const offset = Number((await tusFetch(url, "HEAD", alice)).headers.get("upload-offset"));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(video.length);
    await tusUpload(uploadsEndpoint(app.url), video, { token: alice, uploadUrl: url });

    expect((await objectBytes(`uploads/${id}`)).equals(video)).toBe(true);
    expect((await tusFetch(url, "HEAD", await tokenFor("bob"))).status).toBe(404);

    const submitted = (await gqlData(app.url, submitJobMutation, { input: { type: readVideo.name, params: { video: id } } }, alice)).submitJob;
    expect(submitted.__typename).toBe("SubmitJobSuccess");
    const job = await waitFor(
      async () => {
        const { job } = await gqlData(app.url, jobQuery, { id: submitted.job.id }, alice);
        return ["SUCCEEDED", "FAILED"].includes(job.status) ? job : undefined;
      },
      { what: "the job to finish" },
    );
    expect(job.status).toBe("SUCCEEDED");
    expect(job.result).toEqual({ sha256: sha256(video), inWorkDir: true });
  });

  it("removes an expired upload's object and its info from the bucket", async () => {
    const alice = await tokenFor("alice");
    const { id } = await tusUpload(uploadsEndpoint(app.url), Buffer.from("gone soon"), { token: alice, filename: "a.txt", filetype: "text/plain" });
    expect(await objectExists(`uploads/${id}`)).toBe(true);
    await env.sql`update uploads set expires_at = now() - interval '1 second' where id = ${id}`;
    await waitFor(async () => (await env.sql`select status from uploads where id = ${id}`)[0]!.status === "expired", { what: "the upload to expire" });
    expect(await objectExists(`uploads/${id}`)).toBe(false);
    expect(await objectExists(`uploads/${id}.info`)).toBe(false);
  });
});
