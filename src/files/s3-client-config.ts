import type { S3ClientConfig } from "@aws-sdk/client-s3";
import type { Config } from "../config.js";

/** The S3 client's settings from S3_* (the bucket aside), as every S3 client of the files share. */
export function s3ClientConfig(s3: NonNullable<Config["s3"]>): S3ClientConfig {
  return {
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    ...(s3.credentials ? { credentials: s3.credentials } : {}),
  };
}
