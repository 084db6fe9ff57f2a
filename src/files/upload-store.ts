import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { DeleteObjectsCommand, S3Client } from "@aws-sdk/client-s3";
import { FileStore } from "@tus/file-store";
import { S3Store } from "@tus/s3-store";
import { ERRORS, type DataStore } from "@tus/server";
import type { Config } from "../config.js";
import { uploadsDirectory, uploadS3Client, uploadS3Prefix } from "./upload-locations.js";

/**
 * Where the gateway's tus server keeps uploads (UPLOAD_STORE): files under
 * DATA_DIR/uploads (`@tus/file-store`, each beside its `<key>.json` info) or
 * an S3 bucket under `uploads/` (`@tus/s3-store`: a multipart upload per
 * file, its info in `<key>.info`, a tail shorter than a part in
 * `<key>.part`). An upload's store key is its id, with the prefix.
 */
export interface UploadStore {
  readonly kind: "local" | "s3";
  readonly datastore: DataStore;
  /** Prepended to an upload's id to make its store key. */
  readonly keyPrefix: string;
  /** Removes an upload's bytes and whatever the store kept beside them; one already gone is no error. */
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}

export function createUploadStore(config: Pick<Config, "uploads" | "dataDir" | "s3">): UploadStore {
  if (config.uploads.store === "local") {
    const directory = uploadsDirectory(config.dataDir);
    // Here, at start: FileStore makes it in a callback whose failure (a DATA_DIR this process cannot write) would crash the process later.
    mkdirSync(directory, { recursive: true });
    return {
      kind: "local",
      datastore: new FileStore({ directory }),
      keyPrefix: "",
      async remove(key) {
        const path = resolve(directory, key);
        if (!path.startsWith(directory + "/")) throw new Error(`upload key ${JSON.stringify(key)} is outside the uploads directory`);
        await rm(path, { force: true });
        await rm(`${path}.json`, { force: true });
      },
      close: async () => {},
    };
  }
  if (!config.s3) throw new Error("UPLOAD_STORE=s3 needs S3_BUCKET");
  const s3 = config.s3;
  const datastore = new S3Store({
    s3ClientConfig: {
      bucket: s3.bucket,
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
      ...(s3.credentials ? { credentials: s3.credentials } : {}),
    },
  });
  const client: S3Client = uploadS3Client(s3);
  return {
    kind: "s3",
    datastore,
    keyPrefix: uploadS3Prefix,
    async remove(key) {
      // Aborts the multipart upload of an unfinished one; an upload the store no longer knows is no error.
      await datastore.remove(key).catch((error: unknown) => {
        if (error !== ERRORS.FILE_NOT_FOUND) throw error;
      });
      await client.send(
        new DeleteObjectsCommand({ Bucket: s3.bucket, Delete: { Objects: [{ Key: key }, { Key: `${key}.info` }, { Key: `${key}.part` }], Quiet: true } }),
      );
    },
    close: async () => client.destroy(),
  };
}
