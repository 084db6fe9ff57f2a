import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboardRoutes, missingBuildMessage } from "../src/http/routes/dashboard-routes.js";
import { dashboardSecurityHeaders } from "../src/http/security-headers.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path goes out exactly as written (fetch would resolve "..", this does not). */
function send(port: number, path: string, options: { method?: string; host?: string; acceptEncoding?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: { ...(options.host ? { host: options.host } : {}), ...(options.acceptEncoding ? { "accept-encoding": options.acceptEncoding } : {}) } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The routes on a plain server (no GraphQL), serving `dir`, with their warnings kept. */
async function serve(dir: string) {
  const warnings: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      warnings.push(JSON.parse(String(chunk)).msg);
      done();
    },
  });
  const routes = createDashboardRoutes({ log: pino({ level: "warn" }, sink), dir });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (routes.handles(path)) void routes.serve(req, res, path);
    else res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { port, warnings, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "dashboard-routes-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("a built dashboard", () => {
  let site: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const dir = join(root, "built");
    await mkdir(join(dir, "assets"), { recursive: true });
    await writeFile(join(dir, "index.html"), '<!doctype html><script type="module" src="/assets/app-ABC123.js"></script>');
    await writeFile(join(dir, "assets", "app-ABC123.js"), "console.log(1)");
    await writeFile(join(dir, "assets", "app-ABC123.css"), "body{}");
    // Stand-ins for the build's precompressed copies: what is served is told by its body.
    await writeFile(join(dir, "assets", "app-ABC123.js.br"), "brotli copy");
    await writeFile(join(dir, "assets", "app-ABC123.js.gz"), "gzip copy");
    await writeFile(join(dir, "assets", "notes.txt"), "not served: no known type");
    await writeFile(join(dir, "secret.js"), "outside the assets folder");
    site = await serve(dir);
  });
  afterAll(async () => site?.close());

  it("serves index.html at / with the page's CSP, not cached without revalidation", async () => {
    const answer = await send(site.port, "/?from=bookmark");
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("/assets/app-ABC123.js");
    expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(answer.headers["cache-control"]).toBe("no-cache");
    expect(answer.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("serves hashed assets with their content type, cached for good", async () => {
    const script = await send(site.port, "/assets/app-ABC123.js");
    expect(script).toMatchObject({ status: 200, body: "console.log(1)" });
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const style = await send(site.port, "/assets/app-ABC123.css");
    expect(style.headers["content-type"]).toBe("text/css; charset=utf-8");
  });

  it("serves the precompressed copy the browser accepts, brotli before gzip, and says so", async () => {
    const chrome = await send(site.port, "/assets/app-ABC123.js", { acceptEncoding: "gzip, deflate, br, zstd" });
    expect(chrome).toMatchObject({ status: 200, body: "brotli copy" });
    expect(chrome.headers).toMatchObject({ "content-encoding": "br", vary: "accept-encoding", "content-type": "text/javascript; charset=utf-8" });
    const gzipOnly = await send(site.port, "/assets/app-ABC123.js", { acceptEncoding: "br;q=0, gzip" });
    expect(gzipOnly).toMatchObject({ status: 200, body: "gzip copy" });
    expect(gzipOnly.headers["content-encoding"]).toBe("gzip");
    const plain = await send(site.port, "/assets/app-ABC123.js");
    expect(plain).toMatchObject({ status: 200, body: "console.log(1)" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    // Without a compressed copy (the stylesheet here), the file itself.
    const style = await send(site.port, "/assets/app-ABC123.css", { acceptEncoding: "br, gzip" });
    expect(style).toMatchObject({ status: 200, body: "body{}" });
    expect(style.headers["content-encoding"]).toBeUndefined();
    // The copies are not assets of their own.
    expect((await send(site.port, "/assets/app-ABC123.js.br")).status).toBe(404);
  });

  it("answers HEAD with the headers and no body, and other methods with 405", async () => {
    const head = await send(site.port, "/assets/app-ABC123.js", { method: "HEAD" });
    expect(head).toMatchObject({ status: 200, body: "" });
    expect(head.headers["content-length"]).toBe(String("console.log(1)".length));
    const post = await send(site.port, "/", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });

  it.each([
    "/assets/../secret.js",
    "/assets/..%2fsecret.js",
    "/assets/%2e%2e/secret.js",
    "/assets/..\\secret.js",
    "/assets/.hidden.js",
    "/assets/sub/app-ABC123.js",
    "/assets/",
    "/assets/notes.txt",
    "/assets/missing-XYZ.js",
  ])("answers 404 to %s", async (path) => {
    const answer = await send(site.port, path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain("outside the assets folder");
  });

  it("serves the favicon (an SVG kept in the repo)", async () => {
    const answer = await send(site.port, "/favicon.ico");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("image/svg+xml");
    expect(answer.body).toMatch(/^<svg /);
  });
});

describe("no build yet", () => {
  it("answers / with 503 and one line saying to run npm run build:web, and logs it once", async () => {
    const site = await serve(join(root, "never-built"));
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await send(site.port, "/");
        expect(answer.status).toBe(503);
        expect(answer.headers["content-type"]).toBe("text/plain; charset=utf-8");
        expect(answer.body).toBe(`${missingBuildMessage}\n`);
        expect(answer.body).toContain("npm run build:web");
      }
      expect(site.warnings).toEqual([missingBuildMessage]);
      expect((await send(site.port, "/favicon.ico")).status).toBe(200);
    } finally {
      await site.close();
    }
  });
});

describe("the dashboard's CSP", () => {
  const cspFor = (host: string | undefined) => dashboardSecurityHeaders(host)["content-security-policy"]!;

  it("allows its own script and styles only, no inline code, and its host's WebSocket", () => {
    const csp = cspFor("jobs.example.com:8443");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("connect-src 'self' ws://jobs.example.com:8443 wss://jobs.example.com:8443;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe|\*/);
    expect(cspFor("[::1]:4000")).toContain("ws://[::1]:4000 wss://[::1]:4000");
  });

  it.each(["evil.example; script-src *", "a b", "host/path", "", undefined])("leaves a Host header such as %j out of the policy", (host) => {
    const csp = cspFor(host);
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toContain("evil");
  });
});
