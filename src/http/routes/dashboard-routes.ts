import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Negotiator from "negotiator";
import type { Logger } from "pino";
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

export interface DashboardRoutes {
  /** True for the paths `serve` answers: `/`, `/index.html`, `/assets/*` and `/favicon.ico`. */
  handles(path: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/**
 * The dashboard's files from `dir` (dist/web): its HTML at `/` with the
 * page's CSP, its hashed assets, and the favicon (kept in the repo, so it is
 * there even before a build). Files are read on each request: a rebuild
 * shows at the next reload. Without a build, `/` says how to make one.
 */
export function createDashboardRoutes(deps: { log: Logger; dir?: string }): DashboardRoutes {
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
        send(req, res, 200, { ...dashboardSecurityHeaders(req.headers.host), "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }, html);
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
