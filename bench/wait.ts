/**
 * Polls `check` until it returns true; false once `timeoutMs` passed, or an
 * error with the `orThrow` message if one is given.
 */
export async function waitUntil(check: () => Promise<boolean>, options: { timeoutMs: number; intervalMs: number; orThrow?: string }): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) {
      if (options.orThrow) throw new Error(options.orThrow);
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
