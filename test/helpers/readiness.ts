export interface ReadinessSample {
  /** performance.now() when the probe was sent. */
  at: number;
  ms: number;
  /** HTTP status, or 0 when the request failed or timed out. */
  status: number;
}

export interface ReadinessReport {
  samples: ReadinessSample[];
  maxMs: number;
  /** Probes that did not answer 200. */
  failures: ReadinessSample[];
}

/**
 * Polls `GET /readyz` one probe at a time, `intervalMs` apart, until
 * stopped, recording how long each took. A probe that gets no answer
 * within `timeoutMs` counts as a failure with that latency.
 */
export function watchReadiness(graphqlUrl: string, options: { intervalMs?: number; timeoutMs?: number } = {}) {
  const url = new URL("/readyz", graphqlUrl).toString();
  const samples: ReadinessSample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      samples.push(await probeReadiness(url, options.timeoutMs ?? 5_000));
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
    }
  })();
  return {
    samples,
    async stop(): Promise<ReadinessReport> {
      stopped = true;
      await loop;
      return {
        samples,
        maxMs: Math.max(0, ...samples.map((s) => s.ms)),
        failures: samples.filter((s) => s.status !== 200),
      };
    },
  };
}

export async function probeReadiness(readyzUrl: string, timeoutMs = 5_000): Promise<ReadinessSample> {
  const at = performance.now();
  try {
    const response = await fetch(readyzUrl, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return { at, ms: performance.now() - at, status: response.status };
  } catch {
    return { at, ms: performance.now() - at, status: 0 };
  }
}

/** Runs `work` while watching /readyz; returns its result and the readiness report. */
export async function duringReadinessWatch<T>(graphqlUrl: string, work: () => Promise<T>): Promise<{ result: T; readiness: ReadinessReport }> {
  const watch = watchReadiness(graphqlUrl);
  try {
    const result = await work();
    return { result, readiness: await watch.stop() };
  } catch (error) {
    await watch.stop();
    throw error;
  }
}
