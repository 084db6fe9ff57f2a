import type { Logger } from "pino";
import type { Config } from "../config.js";
import { makeAttemptUploads } from "../consumers/attempt-uploads.js";
import { makeAttemptArtifacts } from "../consumers/attempt-artifacts.js";
import { makeAttemptOutput } from "../consumers/attempt-output.js";
import { noAttemptParts, type AttemptParts } from "../consumers/attempt-resources.js";
import { createOutputWriter } from "../consumers/output-writer.js";
import type { CoreResources } from "./core-resources.js";

/** What a worker's attempts write and read through: the artifact store, the upload store and the output log. */
export function makeAttemptParts(deps: { config: Config; core: CoreResources; log: Logger }): AttemptParts {
  const outputWriter = createOutputWriter(deps.core.db, deps.core.hints);
  return {
    artifacts: makeAttemptArtifacts({ db: deps.core.db, store: deps.core.artifactStore, retentionDays: deps.config.artifacts.retentionDays }),
    uploads: makeAttemptUploads({ db: deps.core.db, files: deps.core.uploadFiles, registry: deps.core.registry }),
    output: makeAttemptOutput({ write: outputWriter.write, minIntervalMs: deps.config.worker.progressMinIntervalMs }),
  };
}
