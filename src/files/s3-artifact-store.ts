import type { Readable } from "node:stream";
import type { Config } from "../config.js";
import { describeConnectionError, ServiceUnavailableError } from "../service-errors.js";
import { ArtifactMissingError, type ArtifactStore } from "./artifact-store.js";
import { s3ClientConfig } from "./s3-client-config.js";

export type S3Settings = NonNullable<Config["s3"]>;

// S3's smallest part but the last is 5 MiB; 8 MiB parts bound a put's memory and allow 80 GB files.
const defaultPartBytes = 8 * 1024 * 1024;

/**
 * Artifacts as objects of one bucket, through @aws-sdk/client-s3 (AWS S3
 * or any S3-compatible service: MinIO, R2, s3rver in the tests). A put of
 * up to one part is one PutObject; a longer stream is a multipart upload,
 * one part in memory at a time, aborted if the stream fails (so no object,
 * and no part left billed, appears). The SDK is imported only by a process
 * that uses this store.
 */
export async function createS3ArtifactStore(settings: S3Settings, options: { partBytes?: number } = {}): Promise<ArtifactStore> {
  const s3 = await import("@aws-sdk/client-s3");
  const { getSignedUrl } = await import("@aws-sdk/s3-request-presigner");
  const partBytes = options.partBytes ?? defaultPartBytes;
  const Bucket = settings.bucket;
  const client = new s3.S3Client({
    ...s3ClientConfig(settings),
    // Checksums on every request are for AWS; several S3-compatible services refuse the new default headers.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });

  const where = settings.endpoint ? `${settings.endpoint} (bucket ${Bucket})` : `s3://${Bucket} (${settings.region})`;
  try {
    await client.send(new s3.HeadBucketCommand({ Bucket }));
  } catch (error) {
    client.destroy();
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const reason = status === 404 ? "the bucket does not exist" : status === 403 ? "access denied (check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)" : describeConnectionError(error);
    throw new ServiceUnavailableError("S3", where, reason);
  }

  const isMissing = (error: unknown) => error instanceof s3.NoSuchKey || (error as { name?: string }).name === "NoSuchKey" || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

  async function multipart(Key: string, ContentType: string, first: Buffer, rest: AsyncIterator<Buffer>, signal?: AbortSignal): Promise<number> {
    const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key, ContentType }), { abortSignal: signal });
    const parts: { ETag: string; PartNumber: number }[] = [];
    let size = 0;
    try {
      let part: Buffer | null = first;
      while (part) {
        const PartNumber = parts.length + 1;
        const { ETag } = await client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: part, ContentLength: part.length }), { abortSignal: signal });
        parts.push({ ETag: ETag!, PartNumber });
        size += part.length;
        const next = await rest.next();
        part = next.done ? null : next.value;
      }
      await client.send(new s3.CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }), { abortSignal: signal });
      return size;
    } catch (error) {
      // The rest of the stream is not read: let it go (a file or a child process's pipe is closed).
      await rest.return?.(undefined).catch(() => {});
      await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => {});
      throw error;
    }
  }

  return {
    kind: "s3",
    async put(Key, body, { contentType, signal }) {
      const parts = chunksOf(body, partBytes, signal)[Symbol.asyncIterator]();
      const first = await parts.next();
      const firstPart = first.done ? Buffer.alloc(0) : first.value;
      if (firstPart.length < partBytes) {
        await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: firstPart, ContentLength: firstPart.length, ContentType: contentType }), { abortSignal: signal });
        return { size: firstPart.length };
      }
      return { size: await multipart(Key, contentType, firstPart, parts, signal) };
    },
    async open(Key, range) {
      try {
        const answer = await client.send(new s3.GetObjectCommand({ Bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
        return answer.Body as Readable;
      } catch (error) {
        if (isMissing(error)) throw new ArtifactMissingError(Key);
        throw error;
      }
    },
    async delete(Key) {
      await client.send(new s3.DeleteObjectCommand({ Bucket, Key }));
    },
    presignGet(Key, { expiresInSeconds, contentType, contentDisposition }) {
      const command = new s3.GetObjectCommand({ Bucket, Key, ResponseContentType: contentType, ResponseContentDisposition: contentDisposition });
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
    },
    async close() {
      client.destroy();
    },
  };
}

/**
 * The stream regrouped into buffers of exactly `size` bytes (the last one
 * shorter, or one empty buffer for an empty stream): S3 parts need a known
 * length each.
 */
async function* chunksOf(body: Readable, size: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let yielded = false;
  for await (const chunk of body) {
    signal?.throwIfAborted();
    let data: Buffer = Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    while (pendingBytes + data.length >= size) {
      const take = size - pendingBytes;
      pending.push(data.subarray(0, take));
      yield Buffer.concat(pending);
      yielded = true;
      data = data.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (data.length > 0) {
      pending.push(data);
      pendingBytes += data.length;
    }
  }
  if (pendingBytes > 0 || !yielded) yield Buffer.concat(pending);
}
