import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, rename, rm, rmdir, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ArtifactMissingError, type ArtifactStore, type ByteRange } from "./artifact-store.js";

/**
 * Artifacts as files under `<root>/artifacts/<key>`. A put writes to
 * `<root>/artifacts/.incoming/<random>` first and renames the finished file
 * into place (one file system, so the rename is atomic: a reader sees the
 * old file or the new one, never a part). What a dead process left in
 * `.incoming` is removed by `removeIncomplete`.
 */
export async function createLocalArtifactStore(options: { root: string }): Promise<ArtifactStore> {
  const base = resolve(options.root, "artifacts");
  const incoming = join(base, ".incoming");
  await mkdir(incoming, { recursive: true });

  const pathOf = (key: string): string => {
    const path = resolve(base, key);
    // Keys are built from ids and sanitised names; this keeps a bad one from reaching outside the store all the same.
    const inside = relative(base, path);
    if (inside === "" || inside.startsWith("..") || inside.split(sep)[0] === ".incoming" || key.includes("\0")) {
      throw new Error(`artifact key ${JSON.stringify(key)} is outside the store`);
    }
    return path;
  };

  return {
    kind: "local",
    async put(key, body, { signal }) {
      const target = pathOf(key);
      const temporary = join(incoming, randomUUID());
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      // Opened before the pipeline starts: a stream opening its own file could create it after a
      // failed pipeline's rm below, leaving it behind.
      const file = await open(temporary, "wx");
      try {
        await pipeline(body, counter, file.createWriteStream(), ...(signal ? [{ signal }] : []));
        await mkdir(dirname(target), { recursive: true });
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return { size };
    },
    async open(key, range?: ByteRange): Promise<Readable> {
      let handle;
      try {
        handle = await open(pathOf(key), "r");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new ArtifactMissingError(key);
        throw error;
      }
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      // The attempt's and the job's directories go with their last file.
      for (let dir = dirname(path); dir !== base && dir.startsWith(base + sep); dir = dirname(dir)) {
        try {
          await rmdir(dir);
        } catch {
          break;
        }
      }
    },
    async removeIncomplete(before) {
      let removed = 0;
      for (const name of await readdir(incoming)) {
        const path = join(incoming, name);
        // A put still writing touches its file all the time: only one left alone since `before` is abandoned.
        const info = await stat(path).catch(() => null);
        if (info && info.mtime < before) {
          await rm(path, { force: true });
          removed += 1;
        }
      }
      return removed;
    },
    async close() {},
  };
}
