import type { Readable } from "node:stream";

/** Bytes `start` to `end`, both inclusive (as in a Range header). */
export interface ByteRange {
  start: number;
  end: number;
}

/** What a presigned link makes the store answer besides the bytes. */
export interface PresignOptions {
  expiresInSeconds: number;
  contentType: string;
  contentDisposition: string;
}

/**
 * Where artifacts' bytes live, by key (artifact-names.ts `artifactKey`). The
 * database says which keys exist and whose they are; the store only keeps
 * bytes. A `put` is all or nothing: a reader never sees half a file.
 */
export interface ArtifactStore {
  readonly kind: "local" | "s3";
  /** Stores the stream under `key`, replacing what was there; resolves with the bytes stored. Aborting `signal` leaves nothing behind. */
  put(key: string, body: Readable, options: { contentType: string; signal?: AbortSignal }): Promise<{ size: number }>;
  /** The file's bytes, or only `range`; ArtifactMissingError when the key holds nothing. */
  open(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the key; a key that holds nothing is no error. */
  delete(key: string): Promise<void>;
  /** A link the store itself answers (S3's presigned GET); absent: the gateway serves the bytes through its own signed link. */
  presignGet?(key: string, options: PresignOptions): Promise<string>;
  /** Removes what puts that never finished (a process that died while writing) left behind before `before`; how many. */
  removeIncomplete?(before: Date): Promise<number>;
  close(): Promise<void>;
}

export class ArtifactMissingError extends Error {
  constructor(key: string) {
    super(`artifact store holds nothing at ${key}`);
    this.name = "ArtifactMissingError";
  }
}
