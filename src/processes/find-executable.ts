import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Where `name` would be run from, as a shell's `command -v` finds it: the
 * first executable file of that name in PATH's directories (or `name`
 * itself when it is a path). Null when there is none. `path` defaults to
 * the PATH that spawning a child process searches.
 */
export function findExecutable(name: string, path: string = process.env.PATH ?? ""): string | null {
  const candidates = name.includes("/") ? [name] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not there, or not executable: the next directory.
    }
  }
  return null;
}
