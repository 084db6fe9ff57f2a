import type { Config } from "../config.js";
import type { ArtifactStore } from "./artifact-store.js";
import { createLocalArtifactStore } from "./local-artifact-store.js";
import { createS3ArtifactStore } from "./s3-artifact-store.js";

/**
 * The store ARTIFACT_STORE names. The s3 store checks at start that its
 * bucket answers, so a wrong endpoint, bucket or key stops the process then
 * rather than the first job that writes a file.
 */
export async function createArtifactStore(config: Pick<Config, "artifacts" | "dataDir" | "s3">): Promise<ArtifactStore> {
  if (config.artifacts.store === "local") return createLocalArtifactStore({ root: config.dataDir });
  if (!config.s3) throw new Error("ARTIFACT_STORE=s3 needs S3_BUCKET");
  return createS3ArtifactStore(config.s3);
}
