/**
 * Builds what the package ships into dist: the server compiled by tsc with
 * type declarations (tsconfig.build.json), the SQL migrations and the
 * favicon beside it, then the dashboard (build-web.ts).
 *
 *   npm run build
 */
import { execFileSync } from "node:child_process";
import { chmod, cp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWeb } from "./build-web.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const dist = join(repoRoot, "dist");

// A module removed from src must not linger in dist; the dashboard's own build replaces dist/web atomically.
for (const entry of await readdir(dist).catch(() => [])) {
  if (entry !== "web") await rm(join(dist, entry), { recursive: true, force: true });
}
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(repoRoot, "tsconfig.build.json")], { stdio: "inherit" });
// The CLI is the package's bin: npm links it as is, so it must be executable.
await chmod(join(dist, "cli/index.js"), 0o755);
await cp(join(repoRoot, "src/db/migrations"), join(dist, "db/migrations"), { recursive: true });
await cp(join(repoRoot, "src/web/favicon.svg"), join(dist, "web/favicon.svg"));
const web = await buildWeb();
console.log(`built into dist: the server, its migrations, and the dashboard (${(web.bytes / 1024).toFixed(1)} KiB)`);
