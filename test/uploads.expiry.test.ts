import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { uploadRef } from "../src/index.js";
import { gqlData } from "./helpers/graphql-client.js";
import { defineTestJobType } from "./helpers/job-types.js";
import { waitFor } from "./helpers/processes.js";
import { jobQuery, submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";
import { createRawUpload, cutPatch, tusFetch, tusUpload, uploadsEndpoint } from "./helpers/uploads.js";

// About two seconds, so the test sees uploads expire.
const retentionHours = "0.00056";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const exists = (path: string) => stat(path).then(() => true, () => false);

// Holds its upload until the test lets it go on, then reads it.
let release: () => void = () => {};
const gate = new Promise<void>((resolve) => (release = resolve));
const holdUpload = defineTestJobType({
  name: "test.hold-upload",
  description: "reads its upload once the test lets it",
  cost: 1,
  timeoutMs: 60_000,
  params: z.object({ file: uploadRef({ accept: ["text/*"] }) }),
  run: async (ctx) => {
    await gate;
    const file = await ctx.uploads.open(ctx.params.file);
    return { sha256: sha256(await readFile(file.path)) };
  },
});

const uploadQuery = `query ($id: ID!) { upload(id: $id) { status expiresAt } }`;

describe("upload expiry", () => {
  const state = useTestApp({
    jobTypes: [holdUpload],
    overrides: { UPLOAD_RETENTION_HOURS: retentionHours, UPLOAD_SWEEP_MS: "100", STARTING_CREDITS: "5" },
  });
  const endpoint = () => uploadsEndpoint(state.app.url);
  const statusOf = async (id: string) => (await state.env.sql<{ status: string }[]>`select status from uploads where id = ${id}`)[0]!.status;

  it("removes an upload no job used once its retention is over: the file goes, it reads as expired and a submit is refused", async () => {
    const alice = await tokenFor("alice");
    const { url, id } = await tusUpload(endpoint(), Buffer.from("short-lived"), { token: alice, filename: "a.txt", filetype: "text/plain" });
    const file = join(state.env.env.DATA_DIR!, "uploads", id);
    expect(await exists(file)).toBe(true);

    await waitFor(async () => (await statusOf(id)) === "expired", { what: "the upload to expire" });
    expect(await exists(file)).toBe(false);
    expect(await exists(`${file}.json`)).toBe(false);
    expect((await gqlData(state.app.url, uploadQuery, { id }, alice)).upload.status).toBe("EXPIRED");
    expect((await tusFetch(url, "HEAD", alice)).status).toBe(404);

    const refused = (await gqlData(state.app.url, submitJobMutation, { input: { type: holdUpload.name, params: { file: id } } }, alice)).submitJob;
    expect(refused.__typename).toBe("ValidationError");
    expect(refused.issues).toEqual([{ path: ["input", "params", "file"], message: `upload ${id} has expired: its file is gone; upload it again` }]);
  });

  it("removes an upload that never finished", async () => {
    const alice = await tokenFor("alice");
    const body = Buffer.alloc(64 * 1024, 1);
    const created = await createRawUpload(endpoint(), alice, body.length, { filename: "never.txt", filetype: "text/plain" });
    const url = new URL(created.headers.get("location")!, endpoint()).href;
    const id = url.split("/").pop()!;
    await cutPatch(url, alice, body, 1000);
    expect(await exists(join(state.env.env.DATA_DIR!, "uploads", id))).toBe(true);

    await waitFor(async () => (await statusOf(id)) === "expired", { what: "the unfinished upload to expire" });
    expect(await exists(join(state.env.env.DATA_DIR!, "uploads", id))).toBe(false);
  });

  it("keeps an upload while the job that uses it runs, and lets it expire after the job ended", async () => {
    const alice = await tokenFor("alice");
    const text = Buffer.from("kept for its job");
    const { id } = await tusUpload(endpoint(), text, { token: alice, filename: "kept.txt", filetype: "text/plain" });
    const submitted = (await gqlData(state.app.url, submitJobMutation, { input: { type: holdUpload.name, params: { file: id } } }, alice)).submitJob;
    expect(submitted.__typename).toBe("SubmitJobSuccess");
    const jobStatus = async () => (await gqlData(state.app.url, jobQuery, { id: submitted.job.id }, alice)).job;
    await waitFor(async () => (await jobStatus()).status === "RUNNING", { what: "the job to run" });

    // Its expiry passes while the job runs: the sweep keeps it, for another retention.
    await state.env.sql`update uploads set expires_at = now() - interval '1 second' where id = ${id}`;
    await waitFor(async () => (await state.env.sql<{ due: boolean }[]>`select expires_at < now() as due from uploads where id = ${id}`)[0]!.due === false, {
      what: "the sweep to keep the upload",
    });
    expect(await statusOf(id)).toBe("complete");

    release();
    const job = await waitFor(async () => ((await jobStatus()).status === "SUCCEEDED" ? jobStatus() : undefined), { what: "the job to succeed" });
    expect(job.result).toEqual({ sha256: sha256(text) });

    // Once the job ended more than a retention ago, nothing needs it.
    await state.env.sql`update uploads set expires_at = now() - interval '1 second' where id = ${id}`;
    await waitFor(async () => (await statusOf(id)) === "expired", { what: "the used upload to expire after its job" });
    expect(await exists(join(state.env.env.DATA_DIR!, "uploads", id))).toBe(false);
  });
});
