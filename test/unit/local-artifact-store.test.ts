import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArtifactMissingError, type ArtifactStore } from "../../src/files/artifact-store.js";
import { createLocalArtifactStore } from "../../src/files/local-artifact-store.js";

describe("the local artifact store", () => {
  let root: string;
  let store: ArtifactStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "local-artifacts-"));
    store = await createLocalArtifactStore({ root });
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  const incoming = () => readdir(join(root, "artifacts", ".incoming"));

  it("stores, replaces, reads a range and deletes, its directories with the last file", async () => {
    expect(await store.put("jobs/j/1/a.txt", Readable.from(["hello ", "world"]), { contentType: "text/plain" })).toEqual({ size: 11 });
    expect(await text(await store.open("jobs/j/1/a.txt"))).toBe("hello world");
    await store.put("jobs/j/1/a.txt", Readable.from(["replaced"]), { contentType: "text/plain" });
    expect(await text(await store.open("jobs/j/1/a.txt", { start: 2, end: 4 }))).toBe("pla");
    await store.delete("jobs/j/1/a.txt");
    await store.delete("jobs/j/1/a.txt");
    await expect(store.open("jobs/j/1/a.txt")).rejects.toBeInstanceOf(ArtifactMissingError);
    expect(await readdir(join(root, "artifacts"))).toEqual([".incoming"]);
  });

  it("a failed or aborted put leaves nothing: no file under the key, no temporary file", async () => {
    const failing = new Readable({
      read() {
        this.push("part of it");
        this.destroy(new Error("the source broke"));
      },
    });
    await expect(store.put("jobs/j/1/b.bin", failing, { contentType: "application/octet-stream" })).rejects.toThrow(/the source broke/);
    const controller = new AbortController();
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
      },
    });
    setTimeout(() => controller.abort(), 20);
    await expect(store.put("jobs/j/1/c.bin", endless, { contentType: "application/octet-stream", signal: controller.signal })).rejects.toThrow();
    await expect(store.open("jobs/j/1/b.bin")).rejects.toBeInstanceOf(ArtifactMissingError);
    await expect(store.open("jobs/j/1/c.bin")).rejects.toBeInstanceOf(ArtifactMissingError);
    expect(await incoming()).toEqual([]);
  });

  it("refuses keys outside the store", async () => {
    for (const key of ["../escape", "jobs/../../escape", ".incoming/x", "/etc/passwd", ""]) {
      await expect(store.put(key, Readable.from(["x"]), { contentType: "text/plain" }), key).rejects.toThrow(/outside the store/);
    }
  });

  it("removes temporary files a dead writer left, not one being written", async () => {
    const stale = join(root, "artifacts", ".incoming", "stale");
    const fresh = join(root, "artifacts", ".incoming", "fresh");
    await writeFile(stale, "x");
    await writeFile(fresh, "y");
    const dayAgo = new Date(Date.now() - 25 * 60 * 60_000);
    await utimes(stale, dayAgo, dayAgo);
    expect(await store.removeIncomplete!(new Date(Date.now() - 24 * 60 * 60_000))).toBe(1);
    expect(await incoming()).toEqual(["fresh"]);
  });
});
