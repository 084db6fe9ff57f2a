import { SignJWT } from "jose";

/** A token refused; `message` is safe to show the caller (it never echoes the token). */
export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "InvalidTokenError";
  }
}

export interface TokenClaims {
  sub: string;
  email?: string;
  admin?: boolean;
  /** jose time span ("1h", "30d") or seconds since the epoch. */
  expiresIn?: string | number;
  /** `iss`, for a gateway that checks JWT_ISSUER. */
  issuer?: string;
  /** `aud`, for a gateway that checks JWT_AUDIENCE. */
  audience?: string;
}

/** An HS256 token as the gateway accepts it with JWT_SECRET (development, tests, the token CLI). */
export async function signAccessToken(secret: string, claims: TokenClaims): Promise<string> {
  const jwt = new SignJWT({ ...(claims.email ? { email: claims.email } : {}), ...(claims.admin ? { role: "admin" } : {}) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setIssuedAt();
  if (claims.expiresIn !== undefined) jwt.setExpirationTime(claims.expiresIn);
  if (claims.issuer !== undefined) jwt.setIssuer(claims.issuer);
  if (claims.audience !== undefined) jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** The token of an `Authorization: Bearer …` value, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1]! : null;
}
