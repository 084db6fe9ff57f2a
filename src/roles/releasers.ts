import type { Logger } from "pino";

/** Resources released in reverse order of creation (graphile-worker's releasers). */
export function createReleasers(log: Logger) {
  const releasers: (() => Promise<unknown>)[] = [];
  return {
    push(release: () => Promise<unknown>): void {
      releasers.push(release);
    },
    async releaseAll(): Promise<void> {
      for (const release of releasers.splice(0).reverse()) {
        await release().catch((err: Error) => log.warn({ err: err.message }, "error while stopping"));
      }
    },
  };
}

export type Releasers = ReturnType<typeof createReleasers>;
