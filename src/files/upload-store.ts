import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { FileStore } from "@tus/file-store";
import type { DataStore } from "@tus/server";
import type { Config } from "../config.js";
import { uploadsDirectory } from "./upload-locations.js";

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

export async function createUploadStore(config: Pick<Config, "uploads" | "dataDir" | "s3">): Promise<UploadStore> {
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
  // The SDK and @tus/s3-store weigh tens of MB: imported only by a gateway that uses them.
  const { createS3UploadStore } = await import("./s3-upload-store.js");
  return createS3UploadStore(config.s3);
}
