import { SignJWT, errors, jwtVerify } from "jose";
import type { Identity } from "../db/queries/provision-user.js";

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "InvalidTokenError";
  }
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** Checks an HS256 token (signature, exp) and returns who it names. */
export async function verifyAccessToken(secret: string, token: string): Promise<Identity> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], requiredClaims: ["sub", "exp"] });
    return {
      subject: payload.sub!,
      email: typeof payload.email === "string" ? payload.email : null,
      role: payload.role === "admin" ? "admin" : "user",
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError("token expired");
    throw new InvalidTokenError("invalid token");
  }
}

export interface TokenClaims {
  sub: string;
  email?: string;
  admin?: boolean;
  /** jose time span ("1h", "30d") or seconds since the epoch. */
  expiresIn?: string | number;
}

export async function signAccessToken(secret: string, claims: TokenClaims): Promise<string> {
  const jwt = new SignJWT({ ...(claims.email ? { email: claims.email } : {}), ...(claims.admin ? { role: "admin" } : {}) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setIssuedAt();
  if (claims.expiresIn !== undefined) jwt.setExpirationTime(claims.expiresIn);
  return jwt.sign(key(secret));
}

/** The token of an `Authorization: Bearer …` value, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1]! : null;
}
