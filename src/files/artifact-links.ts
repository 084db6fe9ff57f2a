import type { ArtifactRow } from "../db/schema.js";
import { artifactLinkPath } from "./artifact-link-signature.js";
import { contentDisposition } from "./artifact-names.js";
import type { ArtifactStore } from "./artifact-store.js";

/** Links an artifact's owner downloads it through (`Artifact.url`). */
export interface ArtifactLinks {
  /** An absolute URL that serves the artifact's bytes for `expiresInSeconds` from now. */
  urlFor(artifact: Pick<ArtifactRow, "id" | "name" | "contentType" | "storeKey">, expiresInSeconds: number): Promise<string>;
}

/** Longest life of a link: 7 days, as S3 allows a presigned URL at most. */
export const maxLinkSeconds = 7 * 24 * 60 * 60;
export const defaultLinkSeconds = 60 * 60;

/**
 * A presigned GET where the store answers links itself (S3: the bytes never
 * pass through a gateway), else the gateway's own HMAC-signed link under
 * `publicUrl()` (its PUBLIC_URL, or http://localhost:<port>), served by
 * http/routes/artifact-route.ts. Either way the link carries its filename
 * and disposition (artifact-names.ts `contentDisposition`).
 */
export function makeArtifactLinks(deps: { store: ArtifactStore; secret: string | null; publicUrl: () => string; now?: () => number }): ArtifactLinks {
  const now = deps.now ?? Date.now;
  return {
    async urlFor(artifact, expiresInSeconds) {
      const seconds = Math.min(Math.max(1, Math.floor(expiresInSeconds)), maxLinkSeconds);
      if (deps.store.presignGet) {
        return deps.store.presignGet(artifact.storeKey, {
          expiresInSeconds: seconds,
          contentType: artifact.contentType,
          contentDisposition: contentDisposition(artifact.name, artifact.contentType),
        });
      }
      if (deps.secret === null) throw new Error("artifact links need ARTIFACT_URL_SECRET");
      const expires = Math.floor(now() / 1000) + seconds;
      return `${deps.publicUrl()}${artifactLinkPath(deps.secret, artifact.id, expires)}`;
    },
  };
}
