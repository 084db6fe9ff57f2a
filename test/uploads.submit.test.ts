import { createHash, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { uploadRef } from "../src/index.js";
import { gqlData } from "./helpers/graphql-client.js";
import { defineTestJobType } from "./helpers/job-types.js";
import { waitFor } from "./helpers/processes.js";
import { jobQuery, submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";
import { createRawUpload, makeTestVideo, tusUpload, uploadsEndpoint } from "./helpers/uploads.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

// Reads the video its params name, as a transcode would, and says what it read.
const readVideo = defineTestJobType({
  name: "test.read-video",
  description: "reads an uploaded video",
  cost: 2,
  maxAttempts: 2,
  backoffMs: [50],
  params: z.object({ video: uploadRef({ accept: ["video/*"] }), label: z.string().optional() }),
  run: async (ctx) => {
    const file = await ctx.uploads.open(ctx.params.video);
    const again = await ctx.uploads.open(ctx.params.video);
    const bytes = await readFile(file.path);
    return { sha256: sha256(bytes), size: file.size, name: file.name, contentType: file.contentType, samePath: again.path === file.path };
  },
});

// Tries to open an upload its params name in a plain string, which no submit checked.
const sneaky = defineTestJobType({
  name: "test.open-unreferenced",
  description: "opens an upload its params do not reference",
  cost: 1,
  maxAttempts: 3,
  backoffMs: [50],
  params: z.object({ video: uploadRef(), other: z.string() }),
  run: async (ctx) => {
    await ctx.uploads.open(ctx.params.other);
    return null;
  },
});

const meQuery = `{ me { balance } }`;

describe("a job type whose params reference uploads", () => {
  const state = useTestApp({ jobTypes: [readVideo, sneaky], overrides: { STARTING_CREDITS: "10" } });
  const endpoint = () => uploadsEndpoint(state.app.url);

  const submit = (token: string, type: string, params: Record<string, unknown>) =>
    gqlData(state.app.url, submitJobMutation, { input: { type, params } }, token).then((data) => data.submitJob);
  const balanceOf = async (token: string) => (await gqlData(state.app.url, meQuery, {}, token)).me.balance as number;

  it("refuses, at the field's path and without a charge, a missing, another user's, unfinished or wrong-type upload", async () => {
    const alice = await tokenFor("alice");
    const bob = await tokenFor("bob");
    const video = await makeTestVideo();
    const bobs = await tusUpload(endpoint(), video, { token: bob, filename: "bob.mp4", filetype: "video/mp4" });
    const unfinished = await createRawUpload(endpoint(), alice, video.length, { filename: "half.mp4", filetype: "video/mp4" });
    const unfinishedId = unfinished.headers.get("location")!.split("/").pop()!;
    const text = await tusUpload(endpoint(), Buffer.from("not a video"), { token: alice, filename: "notes.txt", filetype: "text/plain" });
    const before = await balanceOf(alice);

    const cases: [string, RegExp][] = [
      [randomUUID(), /^no upload .*: it must be one of your uploads/],
      [bobs.id, /^no upload .*: it must be one of your uploads/],
      [unfinishedId, /is not complete: finish sending its \d+ bytes first/],
      [text.id, /is text\/plain; this field accepts video\/\*/],
    ];
    for (const [id, message] of cases) {
      const result = await submit(alice, readVideo.name, { video: id });
      expect(result.__typename).toBe("ValidationError");
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0].path).toEqual(["input", "params", "video"]);
      expect(result.issues[0].message).toMatch(message);
    }
    // Not an upload id at all: the schema's own issue, at the same path.
    const notAnId = await submit(alice, readVideo.name, { video: "clip.mp4" });
    expect(notAnId.issues).toEqual([{ path: ["input", "params", "video"], message: "must be an upload id" }]);

    expect(await balanceOf(alice)).toBe(before);
    const [counts] = await state.env.sql<{ jobs: number; charges: number }[]>`
      select (select count(*)::int from jobs) as jobs, (select count(*)::int from ledger_entries where kind = 'charge') as charges`;
    expect(counts).toEqual({ jobs: 0, charges: 0 });
    // Nothing was marked used by a refused submit.
    const used = await state.env.sql`select id from uploads where used_at is not null`;
    expect(used).toEqual([]);
  });

  it("accepts the caller's complete video, marks it used, and the handler reads the same bytes through ctx.uploads.open", async () => {
    const alice = await tokenFor("alice");
    const video = await makeTestVideo();
    const { id } = await tusUpload(endpoint(), video, { token: alice, filename: "clip.mp4", filetype: "video/mp4" });
    const before = await balanceOf(alice);

    // Any case of the id names the upload; the job keeps it lowercase.
    const result = await submit(alice, readVideo.name, { video: id.toUpperCase() });
    expect(result.__typename).toBe("SubmitJobSuccess");
    expect(result.balance).toBe(before - readVideo.cost);
    const [row] = await state.env.sql<{ usedAt: Date | null }[]>`select used_at as "usedAt" from uploads where id = ${id}`;
    expect(row!.usedAt).not.toBeNull();

    const job = await waitFor(
      async () => {
        const { job } = await gqlData(state.app.url, jobQuery, { id: result.job.id }, alice);
        return ["SUCCEEDED", "FAILED"].includes(job.status) ? job : undefined;
      },
      { what: "the job to finish" },
    );
    expect(job.status).toBe("SUCCEEDED");
    expect(job.result).toEqual({ sha256: sha256(video), size: video.length, name: "clip.mp4", contentType: "video/mp4", samePath: true });
    const { job: stored } = await gqlData(state.app.url, `query ($id: ID!) { job(id: $id) { params } }`, { id: result.job.id }, alice);
    expect(stored.params).toEqual({ video: id });
  });

  it("lets a handler open only the uploads its params reference: any other fails the job at once, refunded", async () => {
    const alice = await tokenFor("alice");
    const video = await makeTestVideo();
    const first = await tusUpload(endpoint(), video, { token: alice, filename: "a.mp4", filetype: "video/mp4" });
    const second = await tusUpload(endpoint(), video, { token: alice, filename: "b.mp4", filetype: "video/mp4" });
    const before = await balanceOf(alice);

    const result = await submit(alice, sneaky.name, { video: first.id, other: second.id });
    expect(result.__typename).toBe("SubmitJobSuccess");
    const job = await waitFor(
      async () => {
        const { job } = await gqlData(state.app.url, jobQuery, { id: result.job.id }, alice);
        return ["SUCCEEDED", "FAILED"].includes(job.status) ? job : undefined;
      },
      { what: "the job to finish" },
    );
    expect(job.status).toBe("FAILED");
    expect(job.attempts).toBe(1);
    expect(job.error.message).toMatch(/is not referenced by this job's params/);
    expect(await balanceOf(alice)).toBe(before);
  });

  it("shows the reference in jobTypes.paramsSchema as an upload id with its accepted types", async () => {
    const { jobTypes } = await gqlData(state.app.url, `{ jobTypes { name paramsSchema } }`);
    const schema = jobTypes.find((type: { name: string }) => type.name === readVideo.name).paramsSchema;
    expect(schema.properties.video).toMatchObject({ type: "string", format: "uuid", "x-upload": { accept: ["video/*"] } });
  });
});
