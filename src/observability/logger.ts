import { createRequire } from "node:module";
import { pino, type Logger } from "pino";
import type { Config } from "../config.js";

/**
 * The process's logger: one JSON object a line, or, with LOG_FORMAT=pretty,
 * readable lines through pino-pretty (a dev dependency, in a worker thread).
 * Without pino-pretty installed (a production install) it stays JSON.
 */
export function createLogger(config: Pick<Config, "logLevel" | "logFormat" | "role">): Logger {
  const options = { level: config.logLevel, base: { role: config.role, pid: process.pid } };
  const pretty = config.logFormat === "pretty" ? resolvePinoPretty() : null;
  if (!pretty) return pino(options);
  return pino({
    ...options,
    // The role leads each message rather than repeating as a field under every line.
    transport: { target: pretty, options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,role", messageFormat: "{role} | {msg}" } },
  });
}

function resolvePinoPretty(): string | null {
  try {
    return createRequire(import.meta.url).resolve("pino-pretty");
  } catch {
    return null;
  }
}
