const verbose = process.env.BENCH_VERBOSE === "1";
const started = performance.now();

/** A phase of a scenario, on stderr with the bench's elapsed time, when BENCH_VERBOSE=1. */
export function phase(message: string): void {
  if (verbose) console.error(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`);
}
