import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ERRORS, Server, type Upload } from "@tus/server";
import { GraphQLError } from "graphql";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { Db } from "../../db/client.js";
import { completeUpload } from "../../db/queries/complete-upload.js";
import { createUpload } from "../../db/queries/create-upload.js";
import { findUpload } from "../../db/queries/find-uploads.js";
import { terminateUpload } from "../../db/queries/terminate-upload.js";
import { isUuid } from "../../domain/ids.js";
import { checkNewUpload, quotaRefusal } from "../../domain/upload-types.js";
import type { UploadStore } from "../../files/upload-store.js";

/**
 * Resumable uploads with the tus protocol (1.0.0: creation,
 * creation-with-upload, termination) at `/uploads`, answered by
 * `@tus/server`. Around it:
 * - every request but OPTIONS carries the same Bearer token as GraphQL
 *   (401 without a valid one); an upload is its creator's: any request of
 *   another user for it is 404, as for one that does not exist;
 * - a new upload declares its length (Upload-Length, at most
 *   MAX_UPLOAD_BYTES: 413), `filename` and `filetype` in Upload-Metadata
 *   (400 without), a type UPLOAD_TYPES allows (415), and fits its owner's
 *   UPLOAD_QUOTA_BYTES (403); its row is written before its first byte;
 * - the last byte marks the row complete (onUploadFinish), before the
 *   client hears the final offset: a client that saw it may submit at once;
 * - DELETE ends an upload no job uses (409 once one does).
 * The id in the URL is the row's id (a UUID); the store key adds the
 * store's prefix.
 */
export const uploadsPath = "/uploads";

const uploadPathPattern = /^\/uploads\/([^/]+)\/?$/;

export interface UploadRoutesDeps {
  db: Db;
  store: UploadStore;
  settings: Config["uploads"];
  corsOrigins: "*" | string[];
  /** The gateway's public base URL for absolute Location headers; null: relative ones (`/uploads/<id>`). */
  publicUrl: string | null;
  /** Who the request's Authorization names, exactly as GraphQL resolves it; throws UNAUTHENTICATED. */
  callerOf(authorization: string | undefined, requestId: string): Promise<{ userId: string }>;
  log: Logger;
}

/** A refusal @tus/server sends as it is: the status and a text body. */
const refusal = (status_code: number, message: string) => ({ status_code, body: `${message}\n` });

const notFound = "upload not found";

export function createUploadRoutes(deps: UploadRoutesDeps) {
  const { store, settings } = deps;
  const prefix = store.keyPrefix;
  // Who each upload's owner is never changes: asked once per upload and process, not on every PATCH.
  const owners = new LRUCache<string, string>({ max: 10_000 });
  // The caller of each request in flight, for the hooks, which see only tus's view of the request.
  const callers = new WeakMap<object, string>();
  const callerOf = (req: { runtime?: { node?: { req?: object } } }) => {
    const node = req.runtime?.node?.req;
    const userId = node ? callers.get(node) : undefined;
    if (userId === undefined) throw new Error("upload request without a caller");
    return userId;
  };
  const idOf = (upload: Upload) => upload.id.slice(prefix.length);

  const tus = new Server({
    path: uploadsPath,
    datastore: store.datastore,
    maxSize: settings.maxBytes,
    ...corsOptions(deps.corsOrigins),
    exposedHeaders: ["Upload-Expires", "x-request-id"],
    allowedHeaders: ["x-request-id"],
    namingFunction: () => prefix + randomUUID(),
    getFileIdFromRequest: (_req, last) => (last !== undefined && isUuid(last) ? prefix + last.toLowerCase() : undefined),
    generateUrl: (_req, { path, id }) => `${deps.publicUrl ?? ""}${path}/${id.slice(prefix.length)}`,
    async onUploadCreate(req, upload) {
      const userId = callerOf(req);
      const checked = checkNewUpload({ size: upload.size, metadata: upload.metadata }, settings);
      if ("status" in checked) throw refusal(checked.status, checked.message);
      const created = await createUpload(
        deps.db,
        { id: idOf(upload), userId, name: checked.name, contentType: checked.contentType, size: checked.size, storeKey: upload.id },
        { quotaBytes: settings.quotaBytes, retentionMs: settings.retentionMs },
      );
      if (created.kind === "over-quota") {
        const refused = quotaRefusal(created.usedBytes, checked.size, settings.quotaBytes)!;
        throw refusal(refused.status, refused.message);
      }
      owners.set(created.upload.id, userId);
      return {};
    },
    async onUploadFinish(_req, upload) {
      const completed = await completeUpload(deps.db, idOf(upload), upload.size ?? upload.offset, settings.retentionMs);
      if (!completed) deps.log.warn({ uploadId: idOf(upload) }, "upload finished, but its row was no longer uploading (expired meanwhile?)");
      return {};
    },
    onResponseError(_req, error) {
      if (error === ERRORS.ERR_MAX_SIZE_EXCEEDED) return refusal(413, `upload too large: at most ${settings.maxBytes} bytes (MAX_UPLOAD_BYTES)`);
      if (error === ERRORS.ERR_SIZE_EXCEEDED) return refusal(413, "more bytes than the upload's Upload-Length");
      if (!("status_code" in error)) deps.log.error({ err: error }, "upload request failed");
      return undefined;
    },
  });

  const answer = (res: ServerResponse, req: IncomingMessage, status: number, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...corsHeaders(deps.corsOrigins, req.headers.origin), "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "tus-resumable": "1.0.0", ...headers });
    res.end(`${message}\n`);
  };

  /** The owner of an upload, or null when there is none of this id. */
  const ownerOf = async (id: string): Promise<string | null> => {
    const known = owners.get(id);
    if (known !== undefined) return known;
    const upload = await findUpload(deps.db, id);
    if (!upload) return null;
    owners.set(id, upload.userId);
    return upload.userId;
  };

  return {
    handles: (path: string) => path === uploadsPath || path.startsWith(`${uploadsPath}/`),

    async serve(req: IncomingMessage, res: ServerResponse, path: string, requestId: string): Promise<void> {
      if (typeof deps.corsOrigins !== "string" && deps.corsOrigins.length > 0) res.setHeader("vary", "Origin");
      // A preflight carries no token, and tus's own OPTIONS says only what the server supports.
      if (req.method === "OPTIONS") return tus.handle(req, res);

      let userId: string;
      try {
        ({ userId } = await deps.callerOf(req.headers.authorization, requestId));
      } catch (error) {
        if (error instanceof GraphQLError && error.extensions.code === "UNAUTHENTICATED") {
          return answer(res, req, 401, error.message, { "www-authenticate": 'Bearer realm="uploads"' });
        }
        throw error;
      }

      if (path !== uploadsPath && path !== `${uploadsPath}/`) {
        const id = uploadPathPattern.exec(path)?.[1]?.toLowerCase();
        if (id === undefined || !isUuid(id) || (await ownerOf(id)) !== userId) return answer(res, req, 404, notFound);
        if (req.method === "DELETE" && !(await terminateUpload(deps.db, id, userId))) {
          const upload = await findUpload(deps.db, id);
          return upload?.status === "expired" ? answer(res, req, 404, notFound) : answer(res, req, 409, "upload is used by a job: it is kept until the job no longer needs it");
        }
      } else if (req.method !== "POST") {
        return answer(res, req, 405, "only POST creates an upload at /uploads", { allow: "POST, OPTIONS" });
      }

      callers.set(req, userId);
      await tus.handle(req, res);
    },
  };
}

export type UploadRoutes = ReturnType<typeof createUploadRoutes>;

/** @tus/server's CORS options from CORS_ORIGINS, as yoga's (cors.ts): `*` never with credentials, a list only those origins. */
function corsOptions(origins: "*" | string[]): { allowedOrigins?: string[] | ((origin: string) => boolean); allowedCredentials: boolean } {
  if (origins === "*") return { allowedCredentials: false };
  const allowed = new Set(origins);
  return { allowedOrigins: (origin) => allowed.has(origin), allowedCredentials: origins.length > 0 };
}

/** The CORS headers of the answers this module writes itself (401, 404, 405, 409), so a browser can read why. */
function corsHeaders(origins: "*" | string[], origin: string | undefined): Record<string, string> {
  const exposed = { "access-control-expose-headers": "Tus-Resumable, x-request-id, WWW-Authenticate" };
  if (origins === "*") return { "access-control-allow-origin": "*", ...exposed };
  if (origin !== undefined && origins.includes(origin)) return { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", ...exposed };
  return {};
}
