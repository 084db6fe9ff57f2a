import type { Logger } from "pino";
import type { Config } from "../config.js";
import { noAttemptParts, type AttemptParts } from "../consumers/attempt-resources.js";
import type { CoreResources } from "./core-resources.js";

/** What a worker's attempts write and read through: the artifact store, the upload store and the output log. */
export function makeAttemptParts(_deps: { config: Config; core: CoreResources; log: Logger }): AttemptParts {
  return {
    artifacts: noAttemptParts.artifacts,
    uploads: noAttemptParts.uploads,
    output: noAttemptParts.output,
  };
}
