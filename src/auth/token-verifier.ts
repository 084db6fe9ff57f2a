import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from "jose";
import type { Identity } from "../db/queries/provision-user.js";
import { textProblem } from "../domain/input-checks.js";
import { InvalidTokenError } from "./tokens.js";

export interface TokenVerifierOptions {
  /** HS256 secret (JWT_SECRET); null: no HS256 token is accepted. */
  secret: string | null;
  /** JSON Web Key Set of an identity provider (JWT_JWKS_URL): RS256 and ES256 tokens are checked against it. */
  jwksUrl: string | null;
  /** Longest exp - iat (or exp - now without iat) accepted. */
  maxTokenLifetimeSeconds: number;
  /** When set, the `iss` every token must carry. */
  issuer: string | null;
  /** When set, an `aud` every token must carry. */
  audience: string | null;
}

/** Checks a bearer token and returns who it names; throws InvalidTokenError with a reason the caller may see. */
export type TokenVerifier = (token: string) => Promise<VerifiedIdentity>;

/** Who a token names, and until when (its `exp`). */
export type VerifiedIdentity = Identity & { expiresAt: Date };

// Only these for the identity provider's keys: an HS256 token is never checked against a public key.
const publicKeyAlgorithms = ["RS256", "ES256"];
const maxSubjectLength = 255;
const maxEmailLength = 320;

export function makeTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const hmacKey = options.secret === null ? null : new TextEncoder().encode(options.secret);
  const jwks = options.jwksUrl === null ? null : createRemoteJWKSet(new URL(options.jwksUrl));
  const claimChecks: JWTVerifyOptions = {
    requiredClaims: ["sub", "exp"],
    ...(options.issuer !== null ? { issuer: options.issuer } : {}),
    ...(options.audience !== null ? { audience: options.audience } : {}),
  };

  const verifySignature = async (token: string): Promise<JWTPayload> => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new InvalidTokenError("invalid token");
    }
    if (alg === "HS256" && hmacKey !== null) {
      return (await jwtVerify(token, hmacKey, { ...claimChecks, algorithms: ["HS256"] })).payload;
    }
    if (alg !== undefined && publicKeyAlgorithms.includes(alg) && jwks !== null) {
      try {
        return (await jwtVerify(token, jwks, { ...claimChecks, algorithms: publicKeyAlgorithms })).payload;
      } catch (error) {
        if (isKeySetUnavailable(error)) throw new InvalidTokenError("token could not be verified: the identity provider's keys are unavailable");
        throw error;
      }
    }
    // `none`, an algorithm not configured, or one this gateway never accepts.
    throw new InvalidTokenError("invalid token");
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = await verifySignature(token);
    } catch (error) {
      throw error instanceof InvalidTokenError ? error : new InvalidTokenError(reasonFor(error));
    }
    const { sub, exp, iat } = payload;
    if (typeof sub !== "string" || sub.length === 0 || sub.length > maxSubjectLength || textProblem(sub) !== null) {
      throw new InvalidTokenError(`token subject (sub) must be 1 to ${maxSubjectLength} characters`);
    }
    const now = Math.floor(Date.now() / 1000);
    // An iat in the future does not lengthen the token's life.
    const issuedAt = Math.min(typeof iat === "number" ? iat : now, now);
    if (exp! - issuedAt > options.maxTokenLifetimeSeconds) {
      throw new InvalidTokenError(`token lifetime exceeds ${options.maxTokenLifetimeSeconds} s`);
    }
    const email = payload.email;
    return {
      subject: sub,
      email: typeof email === "string" && email.length <= maxEmailLength && textProblem(email) === null ? email : null,
      role: payload.role === "admin" ? "admin" : "user",
      expiresAt: new Date(exp! * 1000),
    };
  };
}

function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "token expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case "exp":
        return error.reason === "missing" ? "token must expire (exp)" : "invalid token";
      case "sub":
        return `token subject (sub) must be 1 to ${maxSubjectLength} characters`;
      case "iss":
        return "token issuer (iss) not accepted";
      case "aud":
        return "token audience (aud) not accepted";
      case "nbf":
        return "token not valid yet (nbf)";
    }
  }
  return "invalid token";
}

function isKeySetUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  // jose answers a non-200 or non-JSON key set with its generic error, and a network failure with fetch's own.
  return !(error instanceof errors.JOSEError) || error.code === "ERR_JOSE_GENERIC";
}
