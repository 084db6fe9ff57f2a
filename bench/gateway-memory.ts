import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { HttpClient } from "./http-client.js";
import { sleep } from "./wait.js";

/** Where a process's memory is, from prom-client's default metrics on its /metrics, in MB. */
export async function memoryOf(client: HttpClient): Promise<{ heapUsed: number; heapTotal: number; external: number; rss: number }> {
  const answer = await client.get("/metrics");
  if (answer.status !== 200) throw new Error(`/metrics answered ${answer.status}`);
  const value = (name: string) => {
    const line = answer.text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
    if (!line) throw new Error(`/metrics has no ${name}`);
    return Number(line.split(" ")[1]) / 1e6;
  };
  return {
    heapUsed: value("nodejs_heap_size_used_bytes"),
    heapTotal: value("nodejs_heap_size_total_bytes"),
    external: value("nodejs_external_memory_bytes"),
    rss: value("process_resident_memory_bytes"),
  };
}

/**
 * BENCH_HEAP_SNAPSHOT_DIR: a directory where the fan-out gateway writes a heap snapshot at the end
 * of the window (node's --heapsnapshot-signal); summarize it with bench/heap-snapshot-summary.ts.
 */
export const heapSnapshotDir = process.env.BENCH_HEAP_SNAPSHOT_DIR || null;

export const heapSnapshotNodeArgs = (dir: string) => ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${dir}`];

/** Signals `pid` to write a heap snapshot into `dir` and resolves with its path once it is written whole. */
export async function takeHeapSnapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(existsSync(dir) ? readdirSync(dir) : []);
  process.kill(pid, "SIGUSR2");
  for (let waited = 0; waited < 120_000; waited += 500) {
    await sleep(500);
    const file = readdirSync(dir).find((name) => name.endsWith(".heapsnapshot") && !before.has(name));
    if (!file) continue;
    const path = join(dir, file);
    // Written in one go while the process stands still: done once its size holds for a second.
    const size = statSync(path).size;
    await sleep(1_000);
    if (size > 0 && statSync(path).size === size) return path;
  }
  throw new Error(`no heap snapshot appeared in ${dir} within 120 s`);
}
