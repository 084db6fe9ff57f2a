import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Logger } from "pino";
import type { Db } from "../../db/client.js";
import { findArtifact } from "../../db/queries/read-artifacts.js";
import { isUuid } from "../../domain/ids.js";
import { artifactPathPrefix, checkArtifactLink } from "../../files/artifact-link-signature.js";
import { contentDisposition } from "../../files/artifact-names.js";
import { ArtifactMissingError, type ArtifactStore } from "../../files/artifact-store.js";
import { parseByteRange } from "../byte-range.js";
import { commonSecurityHeaders } from "../security-headers.js";

export interface ArtifactRoute {
  handles(path: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

/**
 * `GET /artifacts/<id>?expires=<unix>&sig=<HMAC>`: the bytes of an
 * artifact, for whoever holds a link `Artifact.url` signed (no token: the
 * link is the permission, so players and `<video src>` work). A changed or
 * expired link is 403; an artifact past its retention is 410, a missing
 * one 404. Range requests are answered 206 (or 416); the link's remaining
 * life bounds how long a browser may cache the answer.
 */
export function createArtifactRoute(deps: { db: Db; store: ArtifactStore; secret: string | null; log: Logger; now?: () => number }): ArtifactRoute {
  const now = deps.now ?? Date.now;
  return {
    handles: (path) => path.startsWith(artifactPathPrefix),
    async serve(req, res, url) {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("allow", "GET, HEAD");
        return fail(res, 405, "method not allowed: GET or HEAD");
      }
      const id = url.pathname.slice(artifactPathPrefix.length);
      if (deps.secret === null || !isUuid(id)) return fail(res, 404, "artifact not found");
      const nowSeconds = Math.floor(now() / 1000);
      const link = checkArtifactLink(deps.secret, { id, expires: url.searchParams.get("expires"), sig: url.searchParams.get("sig") }, nowSeconds);
      if (!link.ok) return fail(res, 403, link.reason === "expired" ? "this link has expired: ask for a new one (Artifact.url)" : "this link is not valid");

      const artifact = await findArtifact(deps.db, id);
      if (!artifact || artifact.status === "pending") return fail(res, 404, "artifact not found");
      if (artifact.status === "expired" || (artifact.expiresAt !== null && artifact.expiresAt.getTime() <= now())) {
        return fail(res, 410, "this artifact has expired and its file is removed");
      }

      const etag = `"${artifact.id}-${artifact.size}"`;
      // If-Range with another validator (a file changed since a client's first part) asks for the whole file.
      const ifRange = req.headers["if-range"];
      const range = ifRange !== undefined && ifRange !== etag ? { kind: "whole" as const } : parseByteRange(req.headers.range, artifact.size);
      const cacheControl = `private, max-age=${link.expiresAt - nowSeconds}`;
      const headers: Record<string, string | number> = {
        ...commonSecurityHeaders,
        "content-type": artifact.contentType,
        "content-disposition": contentDisposition(artifact.name, artifact.contentType),
        "accept-ranges": "bytes",
        etag,
        "last-modified": artifact.createdAt.toUTCString(),
        // The answer is the link holder's alone (private) and the same bytes until the link expires.
        "cache-control": cacheControl,
        // A document among artifacts (an HTML deck, an SVG) never runs as the gateway's origin.
        "content-security-policy": "sandbox",
        "cross-origin-resource-policy": "cross-origin",
      };
      if (range.kind === "unsatisfiable") {
        return fail(res, 416, "range not satisfiable", { "content-range": `bytes */${artifact.size}` });
      }
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag, "cache-control": cacheControl });
        res.end();
        return;
      }

      const part = range.kind === "range" ? range : null;
      let body;
      try {
        // An empty file has no byte to read: a read stream with end -1 would not be empty.
        body = artifact.size === 0 ? null : await deps.store.open(artifact.storeKey, part ?? undefined);
      } catch (error) {
        if (error instanceof ArtifactMissingError) {
          deps.log.warn({ artifactId: artifact.id, key: artifact.storeKey }, "artifact file missing from the store");
          return fail(res, 404, "artifact not found");
        }
        throw error;
      }
      if (part) {
        headers["content-range"] = `bytes ${part.start}-${part.end}/${artifact.size}`;
        headers["content-length"] = part.end - part.start + 1;
      } else {
        headers["content-length"] = artifact.size;
      }
      res.writeHead(part ? 206 : 200, headers);
      if (req.method === "HEAD" || body === null) {
        body?.destroy();
        res.end();
        return;
      }
      // A client that goes away mid-file ends the pipeline; the store's stream is closed with it.
      await pipeline(body, res).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ERR_STREAM_PREMATURE_CLOSE") deps.log.warn({ err: error.message, artifactId: artifact.id }, "artifact download ended early");
      });
    },
  };
}

function fail(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...commonSecurityHeaders, ...extra, "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify({ error: message }));
}
