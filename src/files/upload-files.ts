import { createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Config } from "../config.js";
import { uploadS3Client, uploadsDirectory } from "./upload-locations.js";

/** A complete upload's bytes as the store keeps them. */
export interface StoredUpload {
  id: string;
  storeKey: string;
}

/**
 * How a worker reaches an upload's bytes on its own disk: a local store's
 * file is read where it lies (never written: it is the only copy); an S3
 * store's is downloaded into the attempt's directory first.
 */
export interface UploadFiles {
  /** A local path holding the upload's bytes; `into` is a directory of the caller's, used when the file must be fetched. */
  localPath(upload: StoredUpload, into: string): Promise<string>;
  close(): Promise<void>;
}

export class UploadFileMissingError extends Error {
  constructor(id: string) {
    super(`upload ${id}: its file is missing from the upload store`);
    this.name = "UploadFileMissingError";
  }
}

export async function createUploadFiles(config: Pick<Config, "uploads" | "dataDir" | "s3">): Promise<UploadFiles> {
  if (config.uploads.store === "local") {
    const directory = uploadsDirectory(config.dataDir);
    return {
      async localPath(upload) {
        const path = resolve(directory, upload.storeKey);
        if (!path.startsWith(directory + "/")) throw new UploadFileMissingError(upload.id);
        const found = await stat(path).catch(() => null);
        if (!found?.isFile()) throw new UploadFileMissingError(upload.id);
        return path;
      },
      close: async () => {},
    };
  }
  if (!config.s3) throw new Error("UPLOAD_STORE=s3 needs S3_BUCKET");
  const bucket = config.s3.bucket;
  const client = await uploadS3Client(config.s3);
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  return {
    async localPath(upload, into) {
      const directory = join(into, "uploads");
      await mkdir(directory, { recursive: true });
      // Named by id alone: the name a user gave never becomes part of a path.
      const path = join(directory, upload.id);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: upload.storeKey }));
        await pipeline(object.Body as Readable, createWriteStream(path, { flags: "wx" }));
      } catch (error) {
        await rm(path, { force: true });
        if ((error as { name?: string }).name === "NoSuchKey") throw new UploadFileMissingError(upload.id);
        throw error;
      }
      return path;
    },
    close: async () => client.destroy(),
  };
}
