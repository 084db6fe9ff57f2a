import { Readable } from "node:stream";
import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import { recordArtifact, recordArtifactSize } from "../db/queries/record-artifact.js";
import { deletePendingArtifacts, keepArtifacts, pendingArtifactsOf } from "../db/queries/settle-artifacts.js";
import type { JobRow } from "../db/schema.js";
import type { ArtifactStore } from "../files/artifact-store.js";
import { artifactKey, checkContentType, sanitizeArtifactName } from "../files/artifact-names.js";
import type { ArtifactData, ArtifactInfo, JobArtifacts } from "../jobs/handler.js";
import type { AttemptPart } from "./attempt-resources.js";

export interface AttemptArtifactsDeps {
  db: Db;
  store: ArtifactStore;
  /** ARTIFACT_RETENTION_DAYS: how long a succeeded attempt's artifacts are kept. */
  retentionDays: number;
}

/**
 * An attempt's `ctx.artifacts`. Each write records a pending row first,
 * then stores the bytes under the job and attempt's own key; settling keeps
 * what a succeeded attempt stored (ready, with its expiry) and removes
 * everything of any other outcome, files before rows, so a row always names
 * what may still be in the store. What a worker that died leaves pending is
 * the retention sweep's (artifact-sweeper.ts).
 */
export function makeAttemptArtifacts(deps: AttemptArtifactsDeps) {
  return (job: JobRow, _workDir: () => string, log: Logger): AttemptPart<JobArtifacts> => {
    const attempt = job.attempts;
    // Row ids whose bytes are stored, by name: only these become the job's.
    const stored = new Map<string, string>();
    // One write of a name at a time, in the order asked: the last one asked is the one kept.
    const writesByName = new Map<string, Promise<unknown>>();
    const inFlight = new Set<Promise<unknown>>();
    const stop = new AbortController();
    let ended = false;

    async function store(name: string, data: ArtifactData, contentType: string): Promise<ArtifactInfo> {
      const storeKey = artifactKey(job.id, attempt, name);
      const id = await recordArtifact(deps.db, { jobId: job.id, attempt, name, contentType, storeKey });
      stored.delete(name);
      const { size } = await deps.store.put(storeKey, toReadable(data), { contentType, signal: stop.signal });
      await recordArtifactSize(deps.db, id, size);
      stored.set(name, id);
      log.debug({ artifact: name, size }, "artifact stored");
      return { id, name, contentType, size };
    }

    const value: JobArtifacts = {
      write(rawName, data, options) {
        if (ended) return Promise.reject(new Error("artifacts cannot be written once the attempt has ended"));
        let name: string;
        let contentType: string;
        try {
          name = sanitizeArtifactName(rawName);
          contentType = checkContentType(options?.contentType ?? "");
        } catch (error) {
          return Promise.reject(error as Error);
        }
        const previous = writesByName.get(name) ?? Promise.resolve();
        const write = previous.catch(() => {}).then(() => store(name, data, contentType));
        writesByName.set(name, write);
        inFlight.add(write);
        void write.catch(() => {}).finally(() => inFlight.delete(write));
        return write;
      },
    };

    return {
      value,
      async settle(outcome) {
        ended = true;
        // A write the handler did not wait for: a succeeded attempt's are finished, any other's stopped.
        if (outcome !== "succeeded") stop.abort(new Error(`attempt ${outcome}`));
        await Promise.allSettled([...inFlight]);
        const keep = outcome === "succeeded" ? [...stored.values()] : [];
        if (keep.length > 0) await keepArtifacts(deps.db, keep, deps.retentionDays);
        // Another outcome's files, and a succeeded attempt's failed writes.
        const leftovers = await pendingArtifactsOf(deps.db, job.id, attempt, keep);
        if (leftovers.length === 0) return;
        const removed = await Promise.allSettled(leftovers.map((row) => deps.store.delete(row.storeKey)));
        const gone = leftovers.filter((_row, i) => removed[i]!.status === "fulfilled");
        // A file the store would not remove keeps its row: the sweep tries again later.
        await deletePendingArtifacts(deps.db, gone.map((row) => row.id));
        if (gone.length < leftovers.length) log.warn({ outcome, left: leftovers.length - gone.length }, "some artifact files not removed; the retention sweep will retry");
      },
    };
  };
}

function toReadable(data: ArtifactData): Readable {
  if (typeof data === "string") return Readable.from([Buffer.from(data, "utf8")]);
  if (data instanceof Uint8Array) return Readable.from([data]);
  if (data instanceof Readable) return data;
  return Readable.from(data);
}
