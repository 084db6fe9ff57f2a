import type { Db } from "../db/client.js";
import { findUpload } from "../db/queries/find-uploads.js";
import type { JobRow } from "../db/schema.js";
import { PermanentJobError } from "../domain/errors.js";
import { UploadFileMissingError, type UploadFiles } from "../files/upload-files.js";
import type { UploadFile } from "../jobs/handler.js";
import type { JobTypeRegistry } from "../jobs/index.js";
import { uploadRefsIn } from "../jobs/upload-ref.js";
import type { AttemptParts } from "./attempt-resources.js";

/**
 * `ctx.uploads` of an attempt: `open(id)` gives a local path to one of the
 * uploads the job's params reference (its `uploadRef` fields, checked at
 * submit), and to no other. Each is opened once per attempt. With a local
 * store the path is the stored file itself: read it, never change it. With
 * S3 it is a download inside the attempt's work directory, which goes when
 * the attempt ends. An upload that is not referenced, or whose file is gone,
 * fails the job at once (another attempt cannot help), refunded.
 */
export function makeAttemptUploads(deps: { db: Db; files: UploadFiles; registry: JobTypeRegistry }): AttemptParts["uploads"] {
  return (job: JobRow, workDir: () => string) => {
    const type = deps.registry.get(job.type);
    const referenced = new Set(type ? uploadRefsIn(type.params, job.params).map((ref) => ref.id) : []);
    const opened = new Map<string, Promise<UploadFile>>();

    const openOnce = async (id: string): Promise<UploadFile> => {
      const upload = await findUpload(deps.db, id);
      if (!upload || upload.userId !== job.userId) throw new PermanentJobError(`upload ${id} not found`);
      if (upload.status !== "complete") throw new PermanentJobError(`upload ${id} is ${upload.status === "expired" ? "expired: its file is gone" : "not complete"}`);
      try {
        const path = await deps.files.localPath({ id: upload.id, storeKey: upload.storeKey }, workDir());
        return { id: upload.id, name: upload.name, contentType: upload.contentType, size: upload.size, path };
      } catch (error) {
        if (error instanceof UploadFileMissingError) throw new PermanentJobError(error.message, { cause: error });
        throw error;
      }
    };

    return {
      value: {
        open(id: string): Promise<UploadFile> {
          if (!referenced.has(id)) {
            return Promise.reject(new PermanentJobError(`upload ${id} is not referenced by this job's params: a handler opens only the uploads its params name`));
          }
          let file = opened.get(id);
          if (!file) {
            file = openOnce(id);
            // A failed open (a broken connection to S3, say) may be tried again.
            file.catch(() => opened.delete(id));
            opened.set(id, file);
          }
          return file;
        },
      },
      // Downloads live in the work directory, which the attempt's settle removes whatever the outcome.
      settle: async () => {},
    };
  };
}
