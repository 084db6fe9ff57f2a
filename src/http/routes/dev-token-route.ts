import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { z } from "zod";
import { signAccessToken } from "../../auth/tokens.js";
import type { Config } from "../../config.js";
import { bodyChunks, isRequestTooLarge } from "../request-limits.js";
import { commonSecurityHeaders } from "../security-headers.js";

/** Development sign-in: GET says it is offered, POST `{ subject, admin? }` answers `{ token }`. */
export const devTokenPath = "/dev/token";

/** Signs tokens the gateway accepts, as `npm run token` does. Exists only in development. */
export interface DevTokenIssuer {
  sign(subject: string, options?: { admin?: boolean }): Promise<string>;
}

// As long as `npm run token`'s tokens, unless the gateway accepts less.
const tokenLifetimeSeconds = 12 * 60 * 60;
// `{"subject": <200 characters>, "admin": false}` fits with room to spare.
const maxBodyBytes = 1024;

/**
 * The development token signer, or null (the route then answers 404). It exists only in development
 * while tokens are signed with the published development secret: then it hands out nothing
 * `npm run token` does not already give anyone. A JWT_SECRET or JWT_JWKS_URL of the operator's turns it off.
 */
export function devTokenIssuer(config: Pick<Config, "nodeEnv" | "jwtSecret" | "auth">): DevTokenIssuer | null {
  if (config.nodeEnv !== "development" || !config.auth.usesDevelopmentSecret || config.jwtSecret === null) return null;
  const secret = config.jwtSecret;
  const lifetime = Math.min(tokenLifetimeSeconds, config.auth.maxTokenLifetimeSeconds);
  const { issuer, audience } = config.auth;
  return {
    sign: (subject, { admin = false } = {}) =>
      signAccessToken(secret, {
        sub: subject,
        admin,
        expiresIn: `${lifetime}s`,
        ...(issuer !== null ? { issuer } : {}),
        ...(audience !== null ? { audience } : {}),
      }),
  };
}

const devTokenRequest = z.strictObject({
  subject: z
    .string({ error: (issue) => (issue.input === undefined ? "subject is required" : "subject must be a string") })
    .regex(/^[A-Za-z0-9._@:-]{1,200}$/, "subject must be 1 to 200 characters: letters, digits and . _ @ : -"),
  admin: z.boolean({ error: "admin must be true or false" }).optional(),
});

export type DevTokenRequest = { subject: string; admin: boolean };

/** The subject and role a body asks for, or a one-line reason it is refused. */
export function parseDevTokenRequest(body: string): { request: DevTokenRequest } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { error: "body must be JSON: {\"subject\": string, \"admin\"?: boolean}" };
  }
  const parsed = devTokenRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // An unknown key or a body that is not an object: name the expected shape.
    const message = issue.code === "unrecognized_keys" || issue.path.length === 0 ? "body must be {\"subject\": string, \"admin\"?: boolean}" : issue.message;
    return { error: message };
  }
  return { request: { subject: parsed.data.subject, admin: parsed.data.admin ?? false } };
}

/** Answers a request for `devTokenPath` (the caller routes only that path here, and only when an issuer exists). */
export async function handleDevTokenRoute(req: IncomingMessage, res: ServerResponse, issuer: DevTokenIssuer, log: Logger): Promise<void> {
  if (req.method === "GET" || req.method === "HEAD") {
    send(res, 200, { available: true });
    return;
  }
  if (req.method !== "POST") {
    res.setHeader("allow", "GET, HEAD, POST");
    send(res, 405, { error: "method not allowed: GET or POST" });
    return;
  }
  // JSON only: a cross-site form cannot send it without a CORS preflight, which this route never grants.
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    send(res, 415, { error: "content-type must be application/json" });
    return;
  }
  const body = await readBody(req, maxBodyBytes);
  if (body === null) {
    send(res, 413, { error: `body too large: at most ${maxBodyBytes} bytes` });
    return;
  }
  const parsed = parseDevTokenRequest(body);
  if ("error" in parsed) {
    send(res, 400, { error: parsed.error });
    return;
  }
  const token = await issuer.sign(parsed.request.subject, { admin: parsed.request.admin });
  log.info({ subject: parsed.request.subject, admin: parsed.request.admin }, "development token issued");
  send(res, 200, { token });
}

/** The body as text, or null past `limit` bytes (what is left unread is discarded by Node). */
async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of bodyChunks(req, limit)) chunks.push(chunk);
  } catch (error) {
    if (isRequestTooLarge(error)) return null;
    throw error;
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { ...commonSecurityHeaders, "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
