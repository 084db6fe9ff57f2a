import { chmod, mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExecutable } from "../../src/processes/find-executable.js";

describe("findExecutable", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "find-executable-"));
    await mkdir(join(dir, "first"));
    await mkdir(join(dir, "second"));
    await mkdir(join(dir, "second", "a-directory"));
    await writeFile(join(dir, "first", "tool"), "");
    await writeFile(join(dir, "second", "tool"), "#!/bin/sh\n");
    await chmod(join(dir, "second", "tool"), 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("finds the first executable file of the name along the PATH given", () => {
    // first/tool is not executable: skipped, as a shell skips it.
    expect(findExecutable("tool", `${join(dir, "first")}:${join(dir, "second")}`)).toBe(join(dir, "second", "tool"));
  });

  it("is null when no directory has it, or has only a directory of that name", () => {
    expect(findExecutable("tool", join(dir, "first"))).toBeNull();
    expect(findExecutable("a-directory", join(dir, "second"))).toBeNull();
    expect(findExecutable("tool", "")).toBeNull();
  });

  it("checks a name with a slash as the path it is", () => {
    expect(findExecutable(join(dir, "second", "tool"), "")).toBe(join(dir, "second", "tool"));
    expect(findExecutable(join(dir, "first", "tool"), "")).toBeNull();
  });

  it("reads the process's PATH by default (sh is on every PATH)", () => {
    expect(findExecutable("sh")).toMatch(/\/sh$/);
  });
});
