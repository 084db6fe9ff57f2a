import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gqlData } from "./helpers/graphql-client.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";
import { createRawUpload, cutPatch, makeTestVideo, tusErrorResponse, tusFetch, tusUpload, uploadsEndpoint } from "./helpers/uploads.js";

const maxUploadBytes = 1_000_000;
const quotaBytes = 2_500_000;

const uploadQuery = `query ($id: ID!) { upload(id: $id) { id name size contentType status createdAt completedAt } }`;
const uploadsQuery = `{ uploads { id name size contentType } }`;

describe("uploads over tus at /uploads", () => {
  const state = useTestApp({ overrides: { MAX_UPLOAD_BYTES: String(maxUploadBytes), UPLOAD_QUOTA_BYTES: String(quotaBytes) } });
  const endpoint = () => uploadsEndpoint(state.app.url);
  const absolute = (location: string) => new URL(location, endpoint()).href;

  it("takes a video whose connection is cut mid-PATCH, resumed by tus-js-client from the server's offset, byte for byte", async () => {
    const alice = await tokenFor("alice");
    const video = await makeTestVideo();

    const created = await createRawUpload(endpoint(), alice, video.length, { filename: "clip.mp4", filetype: "video/mp4" });
    expect(created.status).toBe(201);
    const location = created.headers.get("location")!;
    expect(location).toMatch(/^\/uploads\/[0-9a-f-]{36}$/);
    const url = absolute(location);
    const id = location.slice("/uploads/".length);

    const half = Math.floor(video.length / 2);
    await cutPatch(url, alice, video, half);
    const head = await tusFetch(url, "HEAD", alice);
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get("upload-offset"));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(video.length);
    expect(Number(head.headers.get("upload-length"))).toBe(video.length);
    expect((await gqlData(state.app.url, uploadQuery, { id }, alice)).upload).toMatchObject({ status: "UPLOADING", completedAt: null });

    const progress: number[] = [];
    const resumed = await tusUpload(endpoint(), video, { token: alice, uploadUrl: url, onProgress: (sent) => progress.push(sent) });
    expect(resumed.id).toBe(id);
    // Resumed where the server was, not sent again from the start.
    expect(Math.min(...progress)).toBeGreaterThanOrEqual(offset);

    const stored = await readFile(join(state.env.env.DATA_DIR!, "uploads", id));
    expect(stored.equals(video)).toBe(true);
    const { upload } = await gqlData(state.app.url, uploadQuery, { id }, alice);
    expect(upload).toMatchObject({ id, name: "clip.mp4", size: video.length, contentType: "video/mp4", status: "COMPLETE" });
    expect(upload.completedAt).not.toBeNull();
    expect((await gqlData(state.app.url, uploadsQuery, {}, alice)).uploads).toContainEqual({ id, name: "clip.mp4", size: video.length, contentType: "video/mp4" });
  });

  it("is its owner's alone: another user's HEAD, PATCH, DELETE and queries find nothing, and the upload is left as it was", async () => {
    const alice = await tokenFor("alice");
    const bob = await tokenFor("bob");
    const video = await makeTestVideo();
    const created = await createRawUpload(endpoint(), alice, video.length, { filename: "mine.mp4", filetype: "video/mp4" });
    const url = absolute(created.headers.get("location")!);
    const id = url.slice(url.lastIndexOf("/") + 1);

    expect((await tusFetch(url, "HEAD", bob)).status).toBe(404);
    const patch = await tusFetch(url, "PATCH", bob, { "upload-offset": "0", "content-type": "application/offset+octet-stream" }, video);
    expect(patch.status).toBe(404);
    expect((await tusFetch(url, "DELETE", bob)).status).toBe(404);
    // bob's client cannot resume it either.
    const resumed = await tusUpload(endpoint(), video, { token: bob, uploadUrl: url }).catch((error: unknown) => error);
    expect(tusErrorResponse(resumed).status).toBe(404);

    expect((await gqlData(state.app.url, uploadQuery, { id }, bob)).upload).toBeNull();
    expect((await gqlData(state.app.url, uploadsQuery, {}, bob)).uploads).toEqual([]);
    const head = await tusFetch(url, "HEAD", alice);
    expect(head.headers.get("upload-offset")).toBe("0");
  });

  it("answers 401 without a valid token, and a CORS preflight (which has none) names the tus headers", async () => {
    const noToken = await createRawUpload(endpoint(), "", 10, { filename: "a.txt", filetype: "text/plain" });
    expect(noToken.status).toBe(401);
    expect(await noToken.text()).toMatch(/authentication required/);
    const badToken = await createRawUpload(endpoint(), "not-a-token", 10, { filename: "a.txt", filetype: "text/plain" });
    expect(badToken.status).toBe(401);

    const preflight = await fetch(endpoint(), {
      method: "OPTIONS",
      headers: { origin: "http://app.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization, upload-length, tus-resumable, upload-metadata" },
    });
    expect(preflight.status).toBe(204);
    const allowed = preflight.headers.get("access-control-allow-headers")!.toLowerCase();
    for (const header of ["authorization", "upload-length", "upload-offset", "tus-resumable", "upload-metadata"]) expect(allowed).toContain(header);
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/PATCH/);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("tus-max-size")).toBe(String(maxUploadBytes));

    const alice = await tokenFor("alice");
    const created = await createRawUpload(endpoint(), alice, 5, { filename: "a.txt", filetype: "text/plain" });
    const exposed = created.headers.get("access-control-expose-headers")!.toLowerCase();
    for (const header of ["location", "upload-offset", "upload-length", "tus-resumable"]) expect(exposed).toContain(header);
  });

  it("refuses an upload past MAX_UPLOAD_BYTES with 413 and says the limit", async () => {
    const alice = await tokenFor("alice");
    const error = await tusUpload(endpoint(), Buffer.alloc(maxUploadBytes + 1), { token: alice, filename: "big.mp4", filetype: "video/mp4" }).catch((e: unknown) => e);
    const response = tusErrorResponse(error);
    expect(response.status).toBe(413);
    expect(response.body).toContain(`at most ${maxUploadBytes} bytes (MAX_UPLOAD_BYTES)`);
    // A PATCH cannot send more than the upload declared either.
    const created = await createRawUpload(endpoint(), alice, 4, { filename: "four.txt", filetype: "text/plain" });
    const url = absolute(created.headers.get("location")!);
    const patch = await tusFetch(url, "PATCH", alice, { "upload-offset": "0", "content-type": "application/offset+octet-stream" }, Buffer.from("12345678"));
    expect(patch.status).toBe(413);
  });

  it("refuses an upload past the user's quota with 403, counting unfinished uploads; other users are not affected", async () => {
    const carol = await tokenFor("carol");
    const size = 900_000;
    expect((await createRawUpload(endpoint(), carol, size, { filename: "1.mp4", filetype: "video/mp4" })).status).toBe(201);
    expect((await createRawUpload(endpoint(), carol, size, { filename: "2.mp4", filetype: "video/mp4" })).status).toBe(201);
    const refused = await tusUpload(endpoint(), Buffer.alloc(size), { token: carol, filename: "3.mp4", filetype: "video/mp4" }).catch((e: unknown) => e);
    const response = tusErrorResponse(refused);
    expect(response.status).toBe(403);
    expect(response.body).toContain(`upload quota exceeded: ${2 * size} of ${quotaBytes} bytes in use (UPLOAD_QUOTA_BYTES)`);
    expect((await createRawUpload(endpoint(), await tokenFor("dave"), size, { filename: "1.mp4", filetype: "video/mp4" })).status).toBe(201);
  });

  it("counts creates that arrive at once one after another: of three that together pass the quota, one is refused", async () => {
    const erin = await tokenFor("erin");
    const statuses = await Promise.all([1, 2, 3].map((n) => createRawUpload(endpoint(), erin, 900_000, { filename: `${n}.mp4`, filetype: "video/mp4" }).then((r) => r.status)));
    expect(statuses.sort()).toEqual([201, 201, 403]);
  });

  it("checks the metadata: filename and filetype required (400), a type not allowed is 415, a deferred length 400", async () => {
    const alice = await tokenFor("alice");
    const exe = await tusUpload(endpoint(), Buffer.from("MZ"), { token: alice, filename: "run.exe", filetype: "application/x-msdownload" }).catch((e: unknown) => e);
    expect(tusErrorResponse(exe).status).toBe(415);
    expect(tusErrorResponse(exe).body).toContain("uploads of type application/x-msdownload are not accepted; accepted: audio/*, video/*, image/*, text/plain, application/pdf, application/json");

    const noType = await createRawUpload(endpoint(), alice, 3, { filename: "a.bin" });
    expect(noType.status).toBe(400);
    expect(await noType.text()).toContain("Upload-Metadata must carry filename and filetype");
    expect((await createRawUpload(endpoint(), alice, 3, { filetype: "text/plain" })).status).toBe(400);
    expect((await createRawUpload(endpoint(), alice, 3, { filename: "../etc/passwd", filetype: "text/plain" })).status).toBe(400);

    const deferred = await tusFetch(endpoint(), "POST", alice, { "upload-defer-length": "1", "upload-metadata": `filename ${btoa("a.txt")},filetype ${btoa("text/plain")}` });
    expect(deferred.status).toBe(400);
    expect(await deferred.text()).toContain("Upload-Length is required");

    // Parameters of the type do not decide, and are not kept.
    const withCharset = await tusUpload(endpoint(), Buffer.from("hello"), { token: alice, filename: "hello.txt", filetype: "Text/Plain; charset=utf-8" });
    expect((await gqlData(state.app.url, uploadQuery, { id: withCharset.id }, alice)).upload).toMatchObject({ contentType: "text/plain", size: 5 });
  });

  it("lets its owner end (DELETE) an upload no job uses: its file goes and it reads as expired", async () => {
    const alice = await tokenFor("alice");
    const { url, id } = await tusUpload(endpoint(), Buffer.from("bye"), { token: alice, filename: "bye.txt", filetype: "text/plain" });
    expect((await tusFetch(url, "DELETE", alice)).status).toBe(204);
    expect((await tusFetch(url, "HEAD", alice)).status).toBe(404);
    await expect(stat(join(state.env.env.DATA_DIR!, "uploads", id))).rejects.toThrow();
    expect((await gqlData(state.app.url, uploadQuery, { id }, alice)).upload).toMatchObject({ status: "EXPIRED" });
    expect((await gqlData(state.app.url, uploadsQuery, {}, alice)).uploads.map((u: { id: string }) => u.id)).not.toContain(id);
  });
});
