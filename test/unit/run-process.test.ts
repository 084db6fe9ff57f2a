import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ProcessFailedError, runProcess } from "../../src/processes/run-process.js";

/** Every process running now whose command line contains `marker`. */
function processesWith(marker: string): { pid: number; pgid: number; args: string }[] {
  return execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && match[3]!.includes(marker) && !match[3]!.startsWith("ps "))
    .map((match) => ({ pid: Number(match![1]), pgid: Number(match![2]), args: match![3]! }));
}

const sleeps = (marker: string) => processesWith(marker).filter((found) => found.args.startsWith("sleep "));

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

// A sleep of a duration no other process uses: the marker `ps` finds it by.
const uniqueSleep = () => `${900 + Math.floor(Math.random() * 99)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

describe("runProcess", () => {
  it("resolves with the collected stdout and the end of stderr on exit code 0", async () => {
    const output = await runProcess("sh", ["-c", "printf 'a\\nb'; echo note >&2"]);
    expect(output).toEqual({ stdout: "a\nb", stderrTail: "note" });
  });

  it("writes its input to stdin and closes it", async () => {
    expect((await runProcess("cat", [], { input: "spoken text — é" })).stdout).toBe("spoken text — é");
    // Without input, stdin is empty rather than left open: cat ends at once.
    expect((await runProcess("cat", [])).stdout).toBe("");
  });

  it("streams stdout line by line to a parser, the last line without its newline too, and collects none of it", async () => {
    const lines: string[] = [];
    const output = await runProcess("sh", ["-c", "printf 'one\\r\\ntwo\\n'; sleep 0.05; printf 'thr'; sleep 0.05; printf 'ee\\nlast'"], { onStdoutLine: (line) => lines.push(line) });
    expect(lines).toEqual(["one", "two", "three", "last"]);
    expect(output.stdout).toBe("");
  });

  it("rejects on a non-zero exit, naming the binary, its code and the last lines of its stderr", async () => {
    const failed = runProcess("sh", ["-c", "for i in 1 2 3 4 5 6 7; do echo line $i >&2; done; exit 3"]);
    await expect(failed).rejects.toBeInstanceOf(ProcessFailedError);
    await expect(failed).rejects.toThrow("sh exited with code 3: line 3 / line 4 / line 5 / line 6 / line 7");
    await expect(failed).rejects.toMatchObject({ binary: "sh", exitCode: 3, exitSignal: null });
  });

  it("rejects naming a binary that is not on PATH", async () => {
    await expect(runProcess("no-such-binary-for-this-test", [])).rejects.toThrow("no-such-binary-for-this-test was not found on PATH");
  });

  it("rejects, and ends the process, when a stdout parser throws", async () => {
    const marker = uniqueSleep();
    const run = runProcess("sh", ["-c", `echo bad; exec sleep ${marker}`], {
      onStdoutLine: () => {
        throw new Error("unparseable line");
      },
    });
    await expect(run).rejects.toThrow("unparseable line");
    expect(processesWith(marker)).toEqual([]);
  });

  it("rejects when collected stdout passes its limit", async () => {
    await expect(runProcess("sh", ["-c", "yes | head -c 100000"], { maxStdoutBytes: 1000 })).rejects.toThrow("sh wrote more than 1000 bytes to stdout");
  });

  it("on abort, ends the whole process group at once and rejects with the signal's reason", async () => {
    const marker = uniqueSleep();
    const controller = new AbortController();
    // A shell that starts two more processes: only a kill of the group reaches them.
    const run = runProcess("sh", ["-c", `sleep ${marker} & sleep ${marker} & wait`], { signal: controller.signal });
    expect(await waitUntil(() => sleeps(marker).length === 2, 5_000)).toBe(true);
    // The shell and both sleeps in one group of their own (not the test's).
    const groups = new Set(processesWith(marker).map((found) => found.pgid));
    expect(groups.size).toBe(1);
    const ownGroup = Number(execFileSync("ps", ["-o", "pgid=", "-p", String(process.pid)], { encoding: "utf8" }).trim());
    expect(groups.has(ownGroup)).toBe(false);
    const started = Date.now();
    controller.abort(new Error("cancelled by the test"));
    await expect(run).rejects.toThrow("cancelled by the test");
    expect(await waitUntil(() => processesWith(marker).length === 0, 1_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("sends SIGKILL to a group that ignores SIGTERM once the grace is over", async () => {
    const marker = uniqueSleep();
    const controller = new AbortController();
    // An ignored SIGTERM is inherited: the shell and its sleep both ignore it.
    const run = runProcess("sh", ["-c", `trap '' TERM; sleep ${marker} & wait`], { signal: controller.signal, killGraceMs: 300 });
    expect(await waitUntil(() => sleeps(marker).length === 1, 5_000)).toBe(true);
    const started = Date.now();
    controller.abort(new Error("timed out"));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sleeps(marker)).toHaveLength(1);
    await expect(run).rejects.toThrow("timed out");
    expect(await waitUntil(() => processesWith(marker).length === 0, 1_000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("does not start when the signal is aborted already", async () => {
    const marker = uniqueSleep();
    const controller = new AbortController();
    controller.abort(new Error("too late"));
    await expect(runProcess("sleep", [marker], { signal: controller.signal })).rejects.toThrow("too late");
    expect(processesWith(marker)).toEqual([]);
  });
});
