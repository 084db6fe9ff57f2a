import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { uniqueName } from "./services.js";

const run = promisify(execFile);

// Every rabbitmqctl call boots an Erlang VM: about half a second of CPU, on a machine the
// suite keeps busy. A file's vhost used to cost three (add_vhost, set_permissions,
// delete_vhost). The run's global setup makes vhosts ahead instead, many to one call, and
// deletes those the files are done with, many to one call, while the files run.
//
// The pool is a directory every process of the run sees:
//   ready/<name>     the vhost exists, with guest's permissions (written by the global setup)
//   claimed/<name>   a test file took it (mkdir is atomic: one file each)
//   released/<name>  the file is done with it; the next sweep deletes it
//   sweeping/        a sweep runs now
//   broker-stopped/  a test stopped the broker: no sweep meanwhile

const user = "guest";

/** Makes vhosts and gives `user` every permission on them, in one rabbitmqctl call. */
export async function createVhosts(names: readonly string[]): Promise<void> {
  const definitions = {
    vhosts: names.map((name) => ({ name })),
    permissions: names.map((vhost) => ({ user, vhost, configure: ".*", write: ".*", read: ".*" })),
  };
  // On standard input (no file named): rabbitmqctl may run as another user, who cannot read this one's files.
  const importing = run("rabbitmqctl", ["-q", "import_definitions"], { timeout: 60_000 });
  importing.child.stdin!.end(JSON.stringify(definitions));
  await importing;
}

/**
 * Deletes vhosts in one rabbitmqctl call (an `eval` of what `delete_vhost` runs); with
 * `oneByOne`, those it could not delete so are deleted by `delete_vhost` each. Returns the
 * names deleted.
 */
export async function deleteVhosts(names: readonly string[], options: { oneByOne: boolean }): Promise<string[]> {
  if (names.length === 0) return [];
  try {
    const list = names.map((name) => `<<"${name}">>`).join(",");
    const { stdout } = await run("rabbitmqctl", ["-q", "eval", `[rabbit_vhost:delete(V, <<"job-gateway tests">>) || V <- [${list}]].`], { timeout: 60_000 });
    if (stdout.replace(/\s/g, "") === `[${names.map(() => "ok").join(",")}]`) return [...names];
  } catch {
    // Below, or the next sweep.
  }
  if (!options.oneByOne) return [];
  const deleted: string[] = [];
  for (const name of names) {
    try {
      await run("rabbitmqctl", ["-q", "delete_vhost", name], { timeout: 60_000 });
      deleted.push(name);
    } catch (error) {
      if (/does not exist|no_such_vhost/i.test(String((error as { stderr?: string }).stderr ?? error))) deleted.push(name);
    }
  }
  return deleted;
}

const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

/**
 * The global setup's side: makes `size` vhosts (the first `firstBatch` before it returns,
 * the rest in the background), and deletes released ones every `sweepMs`.
 */
export async function startVhostPool(options: { size: number; firstBatch: number; batch: number; sweepMs: number }) {
  const dir = mkdtempSync(join(tmpdir(), "jobgw-vhosts-"));
  for (const sub of ["ready", "claimed", "released"]) mkdirSync(join(dir, sub));
  const names = Array.from({ length: options.size }, () => uniqueName("jobgw_test"));
  const deleted = new Set<string>();
  let closing = false;

  const make = async (batch: string[]) => {
    await createVhosts(batch);
    for (const name of batch) writeFileSync(join(dir, "ready", name), "");
  };
  try {
    await make(names.slice(0, options.firstBatch));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const making = (async () => {
    for (let start = options.firstBatch; start < names.length && !closing; start += options.batch) {
      // A file that finds none ready makes its own vhost meanwhile: nothing waits on this.
      await make(names.slice(start, start + options.batch)).catch(() => {});
    }
  })();

  const sweep = async () => {
    const released = list(join(dir, "released")).filter((name) => !deleted.has(name));
    if (released.length === 0) return;
    try {
      mkdirSync(join(dir, "sweeping"));
    } catch {
      return;
    }
    try {
      // A test that stops the broker marks it first, then waits for a sweep under way to end.
      if (existsSync(join(dir, "broker-stopped"))) return;
      for (const name of await deleteVhosts(released, { oneByOne: false })) deleted.add(name);
    } finally {
      rmSync(join(dir, "sweeping"), { recursive: true, force: true });
    }
  };
  let sweeping: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = sweeping.then(sweep).catch(() => {});
  }, options.sweepMs);

  return {
    dir,
    async close() {
      closing = true;
      clearInterval(timer);
      await making;
      await sweeping;
      rmSync(join(dir, "broker-stopped"), { recursive: true, force: true });
      const left = [...new Set([...list(join(dir, "ready")), ...list(join(dir, "claimed")), ...list(join(dir, "released"))])].filter((name) => !deleted.has(name));
      await deleteVhosts(left, { oneByOne: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestVhost {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

/**
 * A test file's side: takes a vhost of the pool, or, none being ready, makes one (one
 * rabbitmqctl call) that the pool deletes with the others. `drop` hands it back for deletion.
 */
export async function claimVhost(dir: string, baseUrl: string): Promise<TestVhost> {
  const vhost = (name: string): TestVhost => ({
    name,
    url: `${baseUrl}/${name}`,
    drop: async () => writeFileSync(join(dir, "released", name), ""),
  });
  for (const name of list(join(dir, "ready"))) {
    try {
      mkdirSync(join(dir, "claimed", name));
      return vhost(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const name = uniqueName("jobgw_test");
  mkdirSync(join(dir, "claimed", name));
  await createVhosts([name]);
  return vhost(name);
}

/** Before the broker stops: no sweep of the pool starts, and one under way ends first. */
export async function pauseVhostSweeps(dir: string): Promise<void> {
  mkdirSync(join(dir, "broker-stopped"), { recursive: true });
  while (existsSync(join(dir, "sweeping"))) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Once the broker is back. */
export function resumeVhostSweeps(dir: string): void {
  rmSync(join(dir, "broker-stopped"), { recursive: true, force: true });
}
