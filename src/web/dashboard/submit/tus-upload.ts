import { Upload, type DetailedError } from "tus-js-client";
import { fileTypeOf, uploadFailureText, uploadFingerprint, uploadIdOf } from "./upload-files.js";

/** Where the gateway takes tus uploads (src/http/routes/upload-routes.ts). */
export const uploadsPath = "/uploads";

// A lost connection is retried after these waits (then the upload stops, and "Resume" goes on from the gateway's offset).
const retryDelaysMs = [0, 1_000, 3_000, 5_000, 10_000];

export interface UploadEvents {
  /** Bytes the gateway has taken so far, of `total`. */
  progress(sent: number, total: number): void;
  /** The last byte is in: the upload is complete, and `id` may be submitted at once. */
  success(id: string): void;
  /** The upload stopped (refused, or the connection stayed lost); `resume()` may go on from where it stopped. */
  error(message: string): void;
  /** An unfinished upload of the same file (an earlier page's) was found: it goes on from the gateway's offset. */
  resumed?(): void;
}

export interface RunningUpload {
  /** Stops sending; what was sent stays on the gateway, so `resume()` goes on from there. */
  pause(): void;
  resume(): void;
}

/**
 * Sends `file` to the gateway with the tus protocol, with the user's Bearer
 * token on every request. Resumable: a lost connection is retried from the
 * offset the gateway holds, and an unfinished upload of the same file (a
 * reload, a closed tab) is found again by its fingerprint and resumed.
 */
export function startUpload(file: File, options: { token: string; subject: string; events: UploadEvents }): RunningUpload {
  const { events } = options;
  const upload: Upload = new Upload(file, {
    // tus-js-client resolves the Location it is given against the endpoint, so the endpoint must be absolute.
    endpoint: new URL(uploadsPath, location.href).toString(),
    headers: { authorization: `Bearer ${options.token}` },
    metadata: { filename: file.name, filetype: fileTypeOf(file) },
    fingerprint: async () => uploadFingerprint(options.subject, file),
    retryDelays: retryDelaysMs,
    removeFingerprintOnSuccess: true,
    onProgress: (sent, total) => events.progress(sent, total),
    onSuccess: () => events.success(uploadIdOf(upload.url ?? "")),
    onError: (error) => {
      const response = (error as DetailedError).originalResponse;
      events.error(uploadFailureText(response?.getStatus(), response?.getBody()));
    },
  });

  let paused = false;
  void upload
    .findPreviousUploads()
    .catch(() => [])
    .then((previous) => {
      if (paused) return;
      // Newest first: the one most likely still on the gateway.
      const latest = [...previous].sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
      if (latest) {
        upload.resumeFromPreviousUpload(latest);
        events.resumed?.();
      }
      upload.start();
    });

  return {
    pause() {
      paused = true;
      void upload.abort(false);
    },
    resume() {
      paused = false;
      upload.start();
    },
  };
}
