/**
 * Builds the dashboard (src/web/dashboard) into dist/web: one minified
 * script and one stylesheet under assets/, named by their content hash (so
 * the gateway can let browsers cache them for good), and index.html, which
 * names them. Every file is written to a temporary name and renamed into
 * place, so a gateway serving dist/web never reads half a file, and two
 * builds at once (test runs in parallel) leave one whole build behind.
 *
 *   npm run build:web
 */
import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { build } from "esbuild";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const sourceDir = join(repoRoot, "src/web/dashboard");
const defaultOutDir = join(repoRoot, "dist/web");
const staleAssetAgeMs = 60 * 60_000;

export interface WebBuild {
  outDir: string;
  /** URL paths of the built script and stylesheet, as index.html names them. */
  script: string;
  style: string;
  bytes: number;
}

async function writeAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

export async function buildWeb(outDir: string = defaultOutDir): Promise<WebBuild> {
  const assetsDir = join(outDir, "assets");
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: { dashboard: join(sourceDir, "main.tsx") },
    outdir: assetsDir,
    entryNames: "[name]-[hash]",
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: ["es2022", "chrome111", "firefox113", "safari16.4"],
    jsx: "automatic",
    jsxImportSource: "preact",
    tsconfig: join(sourceDir, "tsconfig.json"),
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "none",
    write: false,
    logLevel: "warning",
  });

  const urlOf = (path: string) => `/assets/${basename(path)}`;
  const script = result.outputFiles.find((file) => file.path.endsWith(".js"));
  const style = result.outputFiles.find((file) => file.path.endsWith(".css"));
  if (!script || !style) throw new Error("build-web: esbuild produced no script or no stylesheet");

  // Each asset also precompressed, once here rather than on every request: the gateway serves the
  // copy a browser accepts (src/http/routes/dashboard-routes.ts).
  const written: string[] = [];
  for (const file of result.outputFiles) {
    await writeAtomically(file.path, file.contents);
    await writeAtomically(`${file.path}.br`, brotliCompressSync(file.contents, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY } }));
    await writeAtomically(`${file.path}.gz`, gzipSync(file.contents, { level: zlib.Z_BEST_COMPRESSION }));
    written.push(basename(file.path), `${basename(file.path)}.br`, `${basename(file.path)}.gz`);
  }
  const template = await readFile(join(sourceDir, "index.html"), "utf8");
  const html = template.replace("{{script}}", urlOf(script.path)).replace("{{style}}", urlOf(style.path));
  await writeAtomically(join(outDir, "index.html"), html);

  // Earlier builds' assets (and temporary files of a build that died) go once they are an hour old:
  // a page loaded just before this build may still ask for them.
  const current = new Set(written);
  const cutoff = Date.now() - staleAssetAgeMs;
  for (const name of await readdir(assetsDir)) {
    const path = join(assetsDir, name);
    if (current.has(name)) continue;
    const modified = (await stat(path).catch(() => null))?.mtimeMs;
    if (modified !== undefined && modified < cutoff) await rm(path, { force: true });
  }

  return {
    outDir,
    script: urlOf(script.path),
    style: urlOf(style.path),
    bytes: result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildWeb();
  console.log(`dashboard built into ${relative(process.cwd(), built.outDir) || "."}: ${built.script}, ${built.style} (${(built.bytes / 1024).toFixed(1)} KiB)`);
}
