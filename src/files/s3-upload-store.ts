import { DeleteObjectsCommand, type S3Client } from "@aws-sdk/client-s3";
import { S3Store } from "@tus/s3-store";
import { ERRORS } from "@tus/server";
import type { Config } from "../config.js";
import { s3ClientConfig } from "./s3-client-config.js";
import type { UploadStore } from "./upload-store.js";
import { uploadS3Client, uploadS3Prefix } from "./upload-locations.js";

/** UPLOAD_STORE=s3: `@tus/s3-store` in the S3_* bucket, under `uploads/`. */
export async function createS3UploadStore(s3: NonNullable<Config["s3"]>): Promise<UploadStore> {
  const datastore = new S3Store({
    s3ClientConfig: { bucket: s3.bucket, ...s3ClientConfig(s3) },
  });
  const client: S3Client = await uploadS3Client(s3);
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
