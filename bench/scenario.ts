import type { Cleanup } from "./cleanup.js";
import type { Sizes } from "./sizes.js";

/** One measured value of one run. */
export interface Sample {
  name: string;
  unit: string;
  value: number;
}

export interface RunContext {
  sizes: Sizes;
  /** The migrated database each run clones. */
  template: string;
  /** The bench's vhost, emptied after each run (environment.ts). */
  rabbitmqUrl: string;
  cleanup: Cleanup;
}

export interface Scenario {
  name: string;
  /** How the scenario (and, for a peer, the peer) is set up, for the results file. */
  settings(sizes: Sizes): Record<string, unknown>;
  run(context: RunContext): Promise<Sample[]>;
}
