import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findExecutable } from "../src/processes/find-executable.js";
import { serverArgs, startAppProcess, type AppProcess } from "./helpers/processes.js";
import { createTestEnvironment, type TestEnvironment } from "./helpers/test-app.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

let env: TestEnvironment;
const processes: AppProcess[] = [];
// A PATH with ffmpeg and ffprobe on it, and no espeak-ng.
const binDir = mkdtempSync(join(tmpdir(), "jobgw-path-"));

beforeAll(async () => {
  env = await createTestEnvironment();
  for (const name of ["ffmpeg", "ffprobe"]) symlinkSync(findExecutable(name)!, join(binDir, name));
});
afterAll(async () => {
  for (const p of processes) p.kill("SIGTERM");
  await Promise.all(processes.map((p) => p.exited));
  await env?.teardown();
  rmSync(binDir, { recursive: true, force: true });
});

it("a worker serving the shipped types without espeak-ng on its PATH stops at start with one line naming it and a type that runs it", async () => {
  const failed = await run(process.execPath, serverArgs(), {
    cwd: root,
    env: { ...process.env, ...env.env, ROLE: "worker", LOG_LEVEL: "info", PATH: binDir },
  }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failed?.code).toBe(1);
  // The first type in the list that speaks (slides.generate speaks its slides, speech.synthesize its text).
  expect(failed!.stderr.trim()).toMatch(
    /^the handler of job type (slides\.generate|speech\.synthesize) could not be loaded: it runs espeak-ng, not found on PATH: install it \(README: job types this repository ships\) or stop serving \1$/,
  );
});

it("a gateway needs none of the binaries: it loads no handler, so it starts and is ready with an empty PATH", async () => {
  const emptyDir = mkdtempSync(join(tmpdir(), "jobgw-empty-path-"));
  try {
    const gateway = await startAppProcess({ ...env.env, ROLE: "gateway", PATH: emptyDir });
    processes.push(gateway);
    expect((await fetch(new URL("/readyz", gateway.url))).status).toBe(200);
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
  }
});
