import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as tus from "tus-js-client";

/** The /uploads endpoint of a test app whose GraphQL URL is `graphqlUrl`. */
export const uploadsEndpoint = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, "/uploads");

let testVideo: Promise<Buffer> | null = null;

/** A 2 s, 320x240 H.264/AAC MP4 made by ffmpeg (once per test process). */
export function makeTestVideo(): Promise<Buffer> {
  testVideo ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "test-video-"));
    const path = join(dir, "out.mp4");
    await promisify(execFile)("ffmpeg", [
      "-hide_banner", "-loglevel", "error",
      "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25",
      "-f", "lavfi", "-i", "sine=duration=2",
      "-c:v", "libx264", "-c:a", "aac", "-shortest", path,
    ]);
    return readFile(path);
  })();
  return testVideo;
}

export interface TusUploadOptions {
  token: string;
  filename?: string;
  filetype?: string;
  /** Resume this upload URL instead of creating one (an error if it cannot be resumed). */
  uploadUrl?: string;
  chunkSize?: number;
  onProgress?(sent: number, total: number, upload: tus.Upload): void;
}

/** Sends `data` with tus-js-client; resolves with the upload's URL, rejects with its error (no retries). */
export function tusUpload(endpoint: string, data: Buffer, options: TusUploadOptions): Promise<{ url: string; id: string }> {
  return new Promise((resolve, reject) => {
    const metadata: Record<string, string> = {};
    if (options.filename !== undefined) metadata.filename = options.filename;
    if (options.filetype !== undefined) metadata.filetype = options.filetype;
    const upload: tus.Upload = new tus.Upload(data, {
      // Without an endpoint a resume that finds nothing fails rather than creating another upload.
      ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : { endpoint }),
      headers: { authorization: `Bearer ${options.token}` },
      metadata,
      retryDelays: [],
      ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
      onProgress: (sent, total) => options.onProgress?.(sent, total, upload),
      onError: reject,
      onSuccess: () => {
        const url = upload.url!;
        resolve({ url, id: url.slice(url.lastIndexOf("/") + 1) });
      },
    });
    upload.start();
  });
}

/** The HTTP status of a tus-js-client error (its server's answer), and the answer's text. */
export function tusErrorResponse(error: unknown): { status: number; body: string } {
  const response = (error as tus.DetailedError).originalResponse;
  return { status: response?.getStatus() ?? 0, body: response?.getBody() ?? "" };
}

/** Raw tus requests, for claims about the protocol itself. */
export async function tusFetch(url: string, method: string, token: string | null, headers: Record<string, string> = {}, body?: Buffer): Promise<Response> {
  return fetch(url, {
    method,
    headers: { "tus-resumable": "1.0.0", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body ? { body: new Uint8Array(body) } : {}),
  });
}

/** Creates an upload with a raw POST; its id. */
export async function createRawUpload(endpoint: string, token: string, size: number, metadata: Record<string, string>): Promise<Response> {
  const encoded = Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString("base64")}`)
    .join(",");
  return tusFetch(endpoint, "POST", token, { "upload-length": String(size), ...(encoded ? { "upload-metadata": encoded } : {}) });
}

/**
 * A PATCH that sends `sendBytes` of `body` and then cuts the connection
 * (destroys the socket) before the rest: a client whose network went away.
 */
export function cutPatch(url: string, token: string, body: Buffer, sendBytes: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: "PATCH",
      headers: {
        "tus-resumable": "1.0.0",
        authorization: `Bearer ${token}`,
        "upload-offset": "0",
        "content-type": "application/offset+octet-stream",
        "content-length": String(body.length),
      },
    });
    req.on("error", () => resolve());
    req.on("response", (res) => {
      res.resume();
      resolve();
    });
    req.write(body.subarray(0, sendBytes), () => {
      // Long enough for the bytes to reach the server, then the cut.
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 200);
    });
  });
}
