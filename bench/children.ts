import type { ChildProcess } from "node:child_process";

const running = new Set<ChildProcess>();

/** Remembers a child process so that it is killed when the bench exits, however it exits. */
export function track<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** SIGKILLs a child and waits for it to be gone. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await gone;
}

/**
 * SIGTERMs a child and waits for it to be gone, SIGKILLing it after `graceMs`: for a process that must
 * write something at exit (a CPU profile).
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await gone;
  clearTimeout(timer);
}

export function killAllChildren(): void {
  for (const child of running) child.kill("SIGKILL");
}

process.once("exit", killAllChildren);
