import { spawn } from "node:child_process";

/** A child process that could not start or ended badly; the message names the binary and ends with its stderr. */
export class ProcessFailedError extends Error {
  constructor(
    readonly binary: string,
    /** The exit code, or null when a signal ended it or it never started. */
    readonly exitCode: number | null,
    readonly exitSignal: NodeJS.Signals | null,
    /** The last lines of what it wrote to stderr. */
    readonly stderrTail: string,
    message?: string,
  ) {
    const ending = exitCode !== null ? `exited with code ${exitCode}` : `was ended by ${exitSignal ?? "an unknown cause"}`;
    super(message ?? `${binary} ${ending}${stderrTail ? `: ${stderrTail}` : ""}`);
    this.name = "ProcessFailedError";
  }
}

export interface RunProcessOptions {
  /** Aborting it ends the process and everything it started (its process group); the run rejects with the signal's reason. */
  signal?: AbortSignal;
  cwd?: string;
  /** Written to the process's stdin, which is then closed. Without it, stdin is empty. */
  input?: string | Uint8Array;
  /**
   * Receives stdout line by line as it arrives (ffmpeg's `-progress pipe:1`,
   * say); stdout is then not collected. Without it, stdout is collected and
   * returned (at most `maxStdoutBytes`).
   */
  onStdoutLine?: (line: string) => void;
  /** Longest collected stdout; past it the process is ended and the run fails. Default 16 MiB. */
  maxStdoutBytes?: number;
  /** How long a process has to exit after SIGTERM before its group gets SIGKILL. Default 2000 ms. */
  killGraceMs?: number;
}

export interface ProcessOutput {
  /** Collected stdout ("" when `onStdoutLine` took it). */
  stdout: string;
  /** The last lines of stderr. */
  stderrTail: string;
}

const stderrTailBytes = 4096;
const stderrTailLines = 5;

/**
 * Runs `binary` with `args` (never through a shell) in a process group of
 * its own, so that an abort ends the process and any it spawned: SIGTERM to
 * the group at once, SIGKILL after `killGraceMs`. Resolves on exit code 0;
 * rejects with a ProcessFailedError otherwise, or with the signal's reason
 * when the run was aborted. Whatever the process wrote to disk is the
 * caller's to remove (write into the attempt's work directory).
 */
export function runProcess(binary: string, args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessOutput> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd: options.cwd,
      // Its own process group (pgid = its pid): a kill of -pid reaches whatever it started, and a
      // terminal's Ctrl-C reaches the worker only, which then ends the group itself.
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const maxStdoutBytes = options.maxStdoutBytes ?? 16 * 1024 * 1024;
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stdoutLineBuffer = "";
    let stderrTail = "";
    let failure: Error | null = null;
    let exited = false;
    let killTimer: NodeJS.Timeout | undefined;

    const killGroup = (killSignal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, killSignal);
      } catch {
        // ESRCH: the group is gone already.
      }
    };
    const end = (reason: Error) => {
      failure ??= reason;
      if (exited) return;
      killGroup("SIGTERM");
      killTimer ??= setTimeout(() => killGroup("SIGKILL"), options.killGraceMs ?? 2000);
      killTimer.unref();
    };
    const onAbort = () => end(signal!.reason instanceof Error ? signal!.reason : new Error(String(signal!.reason)));
    signal?.addEventListener("abort", onAbort, { once: true });

    // A parser that throws ends the run with its error, never the worker.
    const readLine = (line: string) => {
      try {
        options.onStdoutLine!(line);
      } catch (error) {
        end(error instanceof Error ? error : new Error(String(error)));
      }
    };
    // Decoded by the streams, so a character split across two chunks stays whole.
    if (options.onStdoutLine) child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: Buffer | string) => {
      if (typeof chunk === "string") {
        stdoutLineBuffer += chunk;
        let newline: number;
        while ((newline = stdoutLineBuffer.indexOf("\n")) >= 0) {
          const line = stdoutLineBuffer.slice(0, newline).replace(/\r$/, "");
          stdoutLineBuffer = stdoutLineBuffer.slice(newline + 1);
          readLine(line);
        }
        return;
      }
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdoutBytes) return end(new ProcessFailedError(binary, null, null, "", `${binary} wrote more than ${maxStdoutBytes} bytes to stdout`));
      stdoutChunks.push(chunk);
    });
    child.stderr.on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-stderrTailBytes);
    });
    // A process that exits without reading its input makes the write fail with EPIPE: its exit says why.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");

    child.once("error", (error: NodeJS.ErrnoException) => {
      // Spawning failed (ENOENT: not on PATH); no exit event follows.
      exited = true;
      signal?.removeEventListener("abort", onAbort);
      const why = error.code === "ENOENT" ? `${binary} was not found on PATH` : `${binary} could not be started: ${error.message}`;
      reject(failure ?? new ProcessFailedError(binary, null, null, "", why));
    });
    child.once("close", (code, exitSignal) => {
      exited = true;
      signal?.removeEventListener("abort", onAbort);
      if (failure) {
        // The leader is gone; anything it left in its group goes with it now, not after the grace.
        killGroup("SIGKILL");
        clearTimeout(killTimer);
        return reject(failure);
      }
      clearTimeout(killTimer);
      if (options.onStdoutLine && stdoutLineBuffer) readLine(stdoutLineBuffer.replace(/\r$/, ""));
      if (failure) return reject(failure);
      const tail = lastLines(stderrTail, stderrTailLines);
      if (code !== 0) return reject(new ProcessFailedError(binary, code, exitSignal, tail));
      resolve({ stdout: Buffer.concat(stdoutChunks).toString("utf8"), stderrTail: tail });
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.trim().split(/\r?\n/).slice(-count).join(" / ");
}
