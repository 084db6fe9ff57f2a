/** A service the process needs is unreachable; its message is one readable line. */
export class ServiceUnavailableError extends Error {
  constructor(
    readonly service: string,
    url: string,
    reason: string,
  ) {
    super(`cannot reach ${service} at ${redact(url)}: ${reason}`);
    this.name = "ServiceUnavailableError";
  }
}

export function describeConnectionError(error: unknown): string {
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? error.code : null;
    if (code === "ECONNREFUSED") return "connection refused (is it running?)";
    if (code === "ENOTFOUND") return "host not found";
    if (code === "3D000") return error.message;
    if (code === "28P01" || code === "28000") return `authentication failed (${error.message})`;
    return error.message || code || error.name;
  }
  return String(error);
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
