import { resolve } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Config } from "../config.js";
import { s3ClientConfig } from "./s3-client-config.js";

/**
 * Where uploads' bytes are, as the gateway (which receives them) and the
 * workers (which read them) both need to know, without the tus server.
 */

/** The local store's directory: DATA_DIR/uploads, absolute. */
export const uploadsDirectory = (dataDir: string) => resolve(dataDir, "uploads");

/** The S3 store's keys begin with it (artifacts share the bucket under their own prefix). */
export const uploadS3Prefix = "uploads/";

/** An S3 client for the upload bucket (S3_*); the SDK is imported only by a process that uses an S3 store. */
export async function uploadS3Client(s3: NonNullable<Config["s3"]>): Promise<S3Client> {
  const { S3Client } = await import("@aws-sdk/client-s3");
  return new S3Client(s3ClientConfig(s3));
}
