import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Negotiator from "negotiator";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import { commonSecurityHeaders, dashboardSecurityHeaders } from "../security-headers.js";

/** Where `npm run build:web` writes the dashboard (scripts/build-web.ts). */
const defaultDashboardDir = fileURLToPath(new URL("../../../dist/web/", import.meta.url));
const faviconFile = fileURLToPath(new URL("../../web/favicon.svg", import.meta.url));

export const missingBuildMessage = "The dashboard is not built: run `npm run build:web`, then reload (the GraphQL API is at /graphql).";

const contentTypes: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

// One path segment of letters, digits, dot, dash and underscore, not starting with a dot:
// no "..", no slash or backslash, no encoded bytes, so it cannot leave the assets folder.
const assetName = /^\/assets\/([A-Za-z0-9_-][A-Za-z0-9._-]{0,199})$/;

// Built assets carry their content hash in their name: a new build makes new names.
const immutable = "public, max-age=31536000, immutable";

// The build writes a brotli and a gzip copy beside each script and stylesheet (scripts/build-web.ts).
const precompressed = { br: ".br", gzip: ".gz" } as const;
type Encoding = keyof typeof precompressed | "identity";
const encodingsByPreference: Encoding[] = ["br", "gzip", "identity"];

/** The encodings a request accepts, best first (Accept-Encoding with its q-values; ties go to the smaller file). */
function acceptedEncodings(req: Pick<IncomingMessage, "headers">): Encoding[] {
  // negotiator 1.x takes `preferred` to break ties; its types predate it.
  const negotiator = new Negotiator(req) as Negotiator & { encodings(available: string[], options: { preferred: string[] }): string[] };
  return negotiator.encodings(encodingsByPreference, { preferred: encodingsByPreference }) as Encoding[];
}

/** What the page's CSP needs to know of where its files live. */
export interface DashboardFileSettings {
  /** The gateway's public base URL (PUBLIC_URL, or http://localhost:<port>): its artifact links and upload URLs are under it. */
  publicUrl(): string;
  artifacts: Pick<Config["artifacts"], "store">;
  s3: Config["s3"];
}

const originOf = (url: string): string | null => {
  try {
    const { protocol, origin } = new URL(url);
    return protocol === "http:" || protocol === "https:" ? origin : null;
  } catch {
    return null;
  }
};

/**
 * The origins a presigned GET of the bucket points at, as the AWS SDK builds
 * it: the endpoint itself with path-style requests (MinIO, s3rver), else the
 * bucket as a subdomain of the endpoint or of AWS S3 in the region. A bucket
 * whose name has a dot is no TLS-safe subdomain, so AWS's path-style host
 * may be used for it as well.
 */
export function s3OriginsOf(s3: NonNullable<Config["s3"]>): string[] {
  if (s3.endpoint !== null) {
    const endpoint = new URL(s3.endpoint);
    return [s3.forcePathStyle ? endpoint.origin : `${endpoint.protocol}//${s3.bucket}.${endpoint.host}`];
  }
  const host = `s3.${s3.region}.amazonaws.com`;
  if (s3.forcePathStyle) return [`https://${host}`];
  return s3.bucket.includes(".") ? [`https://${s3.bucket}.${host}`, `https://${host}`] : [`https://${s3.bucket}.${host}`];
}

/**
 * Where the dashboard loads files from besides its own origin: the public
 * URL (local artifacts' signed links, absolute upload URLs; the page may be
 * opened under another name of the same gateway) and, with
 * ARTIFACT_STORE=s3, the bucket's presigned links.
 */
export function dashboardFileOrigins(settings: DashboardFileSettings): string[] {
  const origins = [originOf(settings.publicUrl())];
  if (settings.artifacts.store === "s3" && settings.s3) origins.push(...s3OriginsOf(settings.s3));
  return [...new Set(origins.filter((origin): origin is string => origin !== null))];
}

export interface DashboardRoutes {
  /** True for the paths `serve` answers: `/`, `/index.html`, `/assets/*` and `/favicon.ico`. */
  handles(path: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/**
 * The dashboard's files from `dir` (dist/web): its HTML at `/` with the
 * page's CSP (which lets its players and uploads reach `files`' origins), its hashed assets, and the favicon (kept in the repo, so it is
 * there even before a build). Files are read on each request: a rebuild
 * shows at the next reload. Without a build, `/` says how to make one.
 */
export function createDashboardRoutes(deps: { log: Logger; dir?: string; files?: DashboardFileSettings }): DashboardRoutes {
  const dir = deps.dir ?? defaultDashboardDir;
  const favicon = readFileSync(faviconFile);
  let warnedMissing = false;

  function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
    res.writeHead(status, { ...commonSecurityHeaders, ...headers, "content-length": String(Buffer.byteLength(body)) });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  const notFound = (req: IncomingMessage, res: ServerResponse) =>
    send(req, res, 404, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache" }, "not found\n");

  async function readOrNull(file: string): Promise<Buffer | null> {
    try {
      return await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "EISDIR") return null;
      throw err;
    }
  }

  return {
    handles: (path) => path === "/" || path === "/index.html" || path === "/favicon.ico" || path.startsWith("/assets/"),

    async serve(req, res, path) {
      if (req.method !== "GET" && req.method !== "HEAD") {
        send(req, res, 405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }, "method not allowed\n");
        return;
      }
      if (path === "/favicon.ico") {
        send(req, res, 200, { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" }, favicon);
        return;
      }
      if (path === "/" || path === "/index.html") {
        const html = await readOrNull(join(dir, "index.html"));
        if (!html) {
          if (!warnedMissing) {
            warnedMissing = true;
            deps.log.warn({ dir }, missingBuildMessage);
          }
          send(req, res, 503, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }, `${missingBuildMessage}\n`);
          return;
        }
        const fileOrigins = deps.files ? dashboardFileOrigins(deps.files) : [];
        send(req, res, 200, { ...dashboardSecurityHeaders(req.headers.host, fileOrigins), "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }, html);
        return;
      }
      const name = assetName.exec(path)?.[1];
      const type = name ? contentTypes[extname(name)] : undefined;
      if (!name || !type) {
        notFound(req, res);
        return;
      }
      for (const encoding of acceptedEncodings(req)) {
        const suffix = encoding === "identity" ? "" : precompressed[encoding];
        const body = await readOrNull(join(dir, "assets", name + suffix));
        if (!body) continue;
        const encoded: Record<string, string> = encoding === "identity" ? {} : { "content-encoding": encoding };
        send(req, res, 200, { "content-type": type, "cache-control": immutable, vary: "accept-encoding", ...encoded }, body);
        return;
      }
      notFound(req, res);
    },
  };
}
