import { parseArgs } from "node:util";
import { signAccessToken } from "../auth/tokens.js";
import { loadConfig } from "../config.js";

// The default fits the gateway's default JWT_MAX_LIFETIME_SECONDS (a day).
export const tokenUsage =
  "usage: job-gateway token --sub NAME [--admin] [--email ADDRESS] [--expires 12h]\n" +
  "  --expires: a jose time span, 12h by default; at most JWT_MAX_LIFETIME_SECONDS (default 86400 s = 24h) or the gateway refuses the token";

/** Prints a token signed with JWT_SECRET (and JWT_ISSUER / JWT_AUDIENCE when set); the exit code. */
export async function runToken(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      sub: { type: "string" },
      email: { type: "string" },
      admin: { type: "boolean", default: false },
      expires: { type: "string", default: "12h" },
    },
  });
  if (!values.sub) {
    console.error(tokenUsage);
    return 2;
  }
  const config = loadConfig(process.env);
  if (config.jwtSecret === null) {
    console.error("configuration: JWT_SECRET is not set, so no token can be signed here");
    return 1;
  }
  console.log(
    await signAccessToken(config.jwtSecret, {
      sub: values.sub,
      email: values.email,
      admin: values.admin,
      expiresIn: values.expires,
      ...(config.auth.issuer !== null ? { issuer: config.auth.issuer } : {}),
      ...(config.auth.audience !== null ? { audience: config.auth.audience } : {}),
    }),
  );
  return 0;
}
