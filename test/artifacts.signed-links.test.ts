import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { artifactKey } from "../src/files/artifact-names.js";
import { ArtifactMissingError, type ArtifactStore } from "../src/files/artifact-store.js";
import { createArtifactStore } from "../src/files/create-artifact-store.js";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { defineTestJobType } from "./helpers/job-types.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

/** Deterministic bytes, so any range of them can be checked. */
function patternBytes(start: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = ((start + i) * 7 + 3) % 251;
  return bytes;
}

// Past the s3 store's 8 MiB part: a multipart upload there.
const bigBytes = 9 * 1024 * 1024;

async function* bigFile(): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bigBytes; offset += 1024 * 1024) yield patternBytes(offset, Math.min(1024 * 1024, bigBytes - offset));
}

const filesJob = defineTestJobType({
  name: "test.files",
  description: "Writes artifacts; fails its first `failTimes` attempts after writing some.",
  cost: 1,
  maxAttempts: 2,
  backoffMs: [50],
  params: z.object({ failTimes: z.number().int().min(0).default(0), big: z.boolean().default(false) }),
  run: async (ctx) => {
    await ctx.artifacts.write("report.txt", `attempt ${ctx.attempt}: Grüße`, { contentType: "text/plain; charset=utf-8" });
    if (ctx.attempt <= ctx.params.failTimes) {
      await ctx.artifacts.write("partial.bin", patternBytes(0, 1000), { contentType: "application/octet-stream" });
      throw new Error(`failing attempt ${ctx.attempt} on purpose`);
    }
    await ctx.artifacts.write("clip.ogg", Readable.from([patternBytes(0, 3000), patternBytes(3000, 2000)]), { contentType: "audio/ogg" });
    if (ctx.params.big) await ctx.artifacts.write("big.bin", bigFile(), { contentType: "application/octet-stream" });
    return { wrote: true };
  },
});

const jobArtifactsQuery = /* GraphQL */ `
  query JobArtifacts($id: ID!, $expires: Int) {
    job(id: $id) {
      id
      status
      attempts
      artifacts { id name contentType size url(expiresInSeconds: $expires) createdAt expiresAt }
    }
  }
`;

interface ShownArtifact {
  id: string;
  name: string;
  contentType: string;
  size: number;
  url: string;
  createdAt: string;
  expiresAt: string | null;
}

const bucket = "artifacts";

// One body for both stores: the local directory behind the gateway's own signed links, and S3 (s3rver) behind presigned GETs.
describe.each(["local", "s3"] as const)("artifacts in the %s store", (storeKind) => {
  let env: TestEnvironment;
  let app: TestApp;
  let store: ArtifactStore;
  let dir: string;
  let s3rver: S3rver | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `artifacts-${storeKind}-`));
    const overrides: Record<string, string> = { DATA_DIR: join(dir, "data"), ARTIFACT_SWEEP_MS: "200" };
    if (storeKind === "s3") {
      s3rver = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: join(dir, "s3"), configureBuckets: [{ name: bucket, configs: [] }] });
      const { port } = await s3rver.run();
      Object.assign(overrides, {
        ARTIFACT_STORE: "s3",
        S3_BUCKET: bucket,
        S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_ACCESS_KEY_ID: "S3RVER",
        S3_SECRET_ACCESS_KEY: "S3RVER",
      });
    }
    env = await createTestEnvironment();
    app = await startTestApp(env, { jobTypes: [filesJob], overrides });
    // The test's own view of the store the app writes to.
    store = await createArtifactStore(env.config(overrides));
  });

  afterAll(async () => {
    await store?.close();
    await app?.stop();
    await env?.teardown();
    await s3rver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function runJob(subject: string, params: Record<string, unknown>): Promise<string> {
    await grant(env.sql, subject, 1);
    const token = await tokenFor(subject);
    const data = await gqlData(app.url, submitJobMutation, { input: { type: filesJob.name, params } }, token);
    expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
    const id: string = data.submitJob.job.id;
    await waitFor(
      async () => {
        const [row] = await env.sql`select status from jobs where id = ${id}`;
        return ["SUCCEEDED", "FAILED"].includes(row!.status) || undefined;
      },
      { timeoutMs: 20_000, what: `job ${id} to finish` },
    );
    return id;
  }

  async function artifactsOf(id: string, token: string, expires?: number): Promise<ShownArtifact[]> {
    const { job } = await gqlData(app.url, jobArtifactsQuery, { id, expires }, token);
    expect(job.status).toBe("SUCCEEDED");
    return job.artifacts;
  }

  async function stored(key: string): Promise<boolean> {
    try {
      (await store.open(key)).destroy();
      return true;
    } catch (error) {
      if (error instanceof ArtifactMissingError) return false;
      throw error;
    }
  }

  it("the owner downloads each artifact through its link, and a Range request gives 206 with those bytes", async () => {
    const id = await runJob("artifact-owner", { big: true });
    const token = await tokenFor("artifact-owner");
    const artifacts = await artifactsOf(id, token);
    expect(artifacts.map((a) => [a.name, a.contentType, a.size])).toEqual([
      ["big.bin", "application/octet-stream", bigBytes],
      ["clip.ogg", "audio/ogg", 5000],
      ["report.txt", "text/plain; charset=utf-8", Buffer.byteLength("attempt 1: Grüße")],
    ]);
    const retentionMs = 7 * 24 * 60 * 60_000;
    for (const artifact of artifacts) {
      expect(new URL(artifact.url).protocol).toBe("http:");
      expect(Math.abs(Date.parse(artifact.expiresAt!) - Date.now() - retentionMs)).toBeLessThan(60_000);
    }
    const [big, clip, report] = artifacts as [ShownArtifact, ShownArtifact, ShownArtifact];
    if (storeKind === "local") expect(report.url).toMatch(new RegExp(`^http://localhost:${app.port}/artifacts/${report.id}\\?expires=\\d+&sig=[\\w-]+$`));

    const whole = await fetch(report.url);
    expect(whole.status).toBe(200);
    expect(await whole.text()).toBe("attempt 1: Grüße");
    expect(whole.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(whole.headers.get("content-length")).toBe(String(report.size));
    expect(whole.headers.get("content-disposition")).toBe(`attachment; filename="report.txt"; filename*=UTF-8''report.txt`);

    const audio = await fetch(clip.url);
    expect(audio.status).toBe(200);
    expect(audio.headers.get("content-disposition")).toMatch(/^inline; /);
    expect(Buffer.from(await audio.arrayBuffer()).equals(patternBytes(0, 5000))).toBe(true);

    const part = await fetch(clip.url, { headers: { range: "bytes=2990-3009" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 2990-3009/5000");
    expect(part.headers.get("content-length")).toBe("20");
    expect(Buffer.from(await part.arrayBuffer()).equals(patternBytes(2990, 20))).toBe(true);

    // Across the first part of a multipart upload, to the last byte.
    const tail = await fetch(big.url, { headers: { range: `bytes=${8 * 1024 * 1024 - 10}-` } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${8 * 1024 * 1024 - 10}-${bigBytes - 1}/${bigBytes}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(patternBytes(8 * 1024 * 1024 - 10, bigBytes - 8 * 1024 * 1024 + 10))).toBe(true);

    const beyond = await fetch(clip.url, { headers: { range: "bytes=5000-" } });
    expect(beyond.status).toBe(416);
    await beyond.body?.cancel();
  });

  it("another user cannot obtain a link: the job is not found for them; an admin can", async () => {
    const id = await runJob("artifact-alice", {});
    const mallory = await tokenFor("artifact-mallory");
    const asMallory = await gql(app.url, jobArtifactsQuery, { id }, mallory);
    expect(asMallory.errors).toBeUndefined();
    expect(asMallory.data.job).toBeNull();
    const listed = await gqlData(app.url, `{ jobs(first: 100) { edges { node { id artifacts { url } } } } }`, {}, mallory);
    expect(listed.jobs.edges).toEqual([]);

    const admin = await tokenFor("artifact-admin", { admin: true });
    const artifacts = await artifactsOf(id, admin);
    expect(artifacts.map((a) => a.name)).toEqual(["clip.ogg", "report.txt"]);
    expect((await fetch(artifacts[1]!.url)).status).toBe(200);
  });

  it("a changed link or an expired one is 403", async () => {
    const id = await runJob("artifact-tamper", {});
    const token = await tokenFor("artifact-tamper");
    const [clip, report] = (await artifactsOf(id, token, 2)) as [ShownArtifact, ShownArtifact];
    expect((await fetch(report.url)).status).toBe(200);

    const tampered = new URL(report.url);
    if (storeKind === "local") {
      const sig = tampered.searchParams.get("sig")!;
      tampered.searchParams.set("sig", `${sig.at(0) === "A" ? "B" : "A"}${sig.slice(1)}`);
      expect((await fetch(tampered)).status).toBe(403);
      const later = new URL(report.url);
      later.searchParams.set("expires", String(Number(later.searchParams.get("expires")) + 3600));
      expect((await fetch(later)).status).toBe(403);
      // The signature of one artifact does not open another.
      const other = new URL(report.url);
      other.pathname = `/artifacts/${clip.id}`;
      expect((await fetch(other)).status).toBe(403);
    } else {
      const sig = tampered.searchParams.get("X-Amz-Signature")!;
      tampered.searchParams.set("X-Amz-Signature", `${sig.at(0) === "a" ? "b" : "a"}${sig.slice(1)}`);
      expect((await fetch(tampered)).status).toBe(403);
      const later = new URL(report.url);
      later.searchParams.set("X-Amz-Expires", "3600");
      expect((await fetch(later)).status).toBe(403);
      const other = new URL(report.url);
      other.pathname = other.pathname.replace(/report\.txt$/, "clip.ogg");
      expect((await fetch(other)).status).toBe(403);
    }

    await new Promise((resolve) => setTimeout(resolve, 3_100));
    const expired = await fetch(report.url);
    expect(expired.status).toBe(403);
    await expired.body?.cancel();
  });

  it("url(expiresInSeconds) is bounded: 1 second to 7 days", async () => {
    const id = await runJob("artifact-bounds", {});
    const token = await tokenFor("artifact-bounds");
    for (const expires of [0, 7 * 24 * 3600 + 1]) {
      const answer = await gql(app.url, jobArtifactsQuery, { id, expires }, token);
      expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    expect(await artifactsOf(id, token, 7 * 24 * 3600)).toHaveLength(2);
  });

  it("after retention the file is gone, the record stays with expiresAt past, and an old link answers 410 or 404", async () => {
    const id = await runJob("artifact-retention", {});
    const token = await tokenFor("artifact-retention");
    const before = await artifactsOf(id, token);
    const keys = before.map((a) => artifactKey(id, 1, a.name));
    for (const key of keys) expect(await stored(key)).toBe(true);

    // Retention has run out (as it would ARTIFACT_RETENTION_DAYS later); the sweep runs every 200 ms.
    await env.sql`update artifacts set expires_at = now() - interval '1 second' where job_id = ${id}`;
    await waitFor(async () => (await env.sql`select 1 from artifacts where job_id = ${id} and status <> 'expired'`).length === 0 || undefined, {
      timeoutMs: 10_000,
      what: "the sweep to expire the job's artifacts",
    });
    for (const key of keys) expect(await stored(key)).toBe(false);

    const after = await artifactsOf(id, token);
    expect(after.map((a) => [a.id, a.name, a.size])).toEqual(before.map((a) => [a.id, a.name, a.size]));
    for (const artifact of after) expect(Date.parse(artifact.expiresAt!)).toBeLessThan(Date.now());
    const old = await fetch(before[1]!.url);
    expect(old.status).toBe(storeKind === "local" ? 410 : 404);
    await old.body?.cancel();
  });

  it("a failed attempt's artifacts never appear and are removed; the succeeded attempt's do", async () => {
    const id = await runJob("artifact-retry", { failTimes: 1 });
    const token = await tokenFor("artifact-retry");
    const { job } = await gqlData(app.url, jobArtifactsQuery, { id }, token);
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(job.artifacts.map((a: ShownArtifact) => a.name)).toEqual(["clip.ogg", "report.txt"]);
    const report = job.artifacts[1] as ShownArtifact;
    expect(await (await fetch(report.url)).text()).toBe("attempt 2: Grüße");

    const rows = await env.sql`select attempt, name, status from artifacts where job_id = ${id} order by name`;
    expect(rows.map((r) => [r.attempt, r.name, r.status])).toEqual([
      [2, "clip.ogg", "ready"],
      [2, "report.txt", "ready"],
    ]);
    expect(await stored(artifactKey(id, 1, "partial.bin"))).toBe(false);
    expect(await stored(artifactKey(id, 1, "report.txt"))).toBe(false);
  });

  it("a job that failed for good shows no artifacts and keeps no file", async () => {
    const id = await runJob("artifact-failed", { failTimes: 2 });
    const token = await tokenFor("artifact-failed");
    const { job } = await gqlData(app.url, jobArtifactsQuery, { id }, token);
    expect(job).toMatchObject({ status: "FAILED", artifacts: [] });
    expect(await env.sql`select 1 from artifacts where job_id = ${id}`).toHaveLength(0);
    for (const attempt of [1, 2]) expect(await stored(artifactKey(id, attempt, "partial.bin"))).toBe(false);
  });

  it("the sweep removes what a worker that died mid-attempt left pending", async () => {
    const id = await runJob("artifact-orphan", {});
    // As a worker that died during an earlier attempt would have left it: a row and a file, pending, an hour old.
    const key = artifactKey(id, 7, "left-behind.bin");
    await store.put(key, Readable.from([patternBytes(0, 100)]), { contentType: "application/octet-stream" });
    await env.sql`
      insert into artifacts (job_id, attempt, name, content_type, size, store_key, status, created_at)
      values (${id}, 7, 'left-behind.bin', 'application/octet-stream', 100, ${key}, 'pending', now() - interval '1 hour')`;
    await waitFor(async () => (await env.sql`select 1 from artifacts where job_id = ${id} and attempt = 7`).length === 0 || undefined, {
      timeoutMs: 10_000,
      what: "the sweep to remove the orphaned artifact",
    });
    expect(await stored(key)).toBe(false);
    // The job's own artifacts stay.
    expect(await artifactsOf(id, await tokenFor("artifact-orphan"))).toHaveLength(2);
  });
});
