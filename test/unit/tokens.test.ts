import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, UnsecuredJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from "jose";
import { makeTokenVerifier, type TokenVerifierOptions } from "../../src/auth/token-verifier.js";
import { InvalidTokenError, signAccessToken } from "../../src/auth/tokens.js";

const secret = "unit-test-secret-0123456789abcdef0123";
const maxLifetime = 3_600;
const now = () => Math.floor(Date.now() / 1000);

const hsOptions: TokenVerifierOptions = { secret, jwksUrl: null, maxTokenLifetimeSeconds: maxLifetime, issuer: null, audience: null };

/** An HS256 token with exactly these claims (no defaults added). */
function hs256(claims: Record<string, unknown>, key = secret): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(key));
}

/** The reason a verifier gives for refusing `token`; fails the test if it accepts it. */
async function refusal(verify: (token: string) => Promise<unknown>, token: string): Promise<string> {
  const error = await verify(token).then(
    () => expect.fail("expected the token to be refused"),
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

describe("HS256 tokens", () => {
  const verify = makeTokenVerifier(hsOptions);

  it("accepts a valid token and returns its identity and expiry", async () => {
    const exp = now() + 600;
    const identity = await verify(await hs256({ sub: "alice", email: "a@example.com", role: "admin", iat: now(), exp }));
    expect(identity).toEqual({ subject: "alice", email: "a@example.com", role: "admin", expiresAt: new Date(exp * 1000) });
  });

  it("accepts what signAccessToken signs", async () => {
    const identity = await verify(await signAccessToken(secret, { sub: "bob", expiresIn: "10m" }));
    expect(identity).toMatchObject({ subject: "bob", email: null, role: "user" });
  });

  it("refuses an expired token", async () => {
    expect(await refusal(verify, await hs256({ sub: "alice", iat: now() - 120, exp: now() - 60 }))).toBe("token expired");
  });

  it("refuses a token that never expires", async () => {
    expect(await refusal(verify, await hs256({ sub: "alice", iat: now() }))).toBe("token must expire (exp)");
  });

  it("refuses a token signed with another secret, or that is not a JWT", async () => {
    expect(await refusal(verify, await hs256({ sub: "alice", exp: now() + 60 }, "another-secret-0123456789abcdef"))).toBe("invalid token");
    expect(await refusal(verify, "not-a-jwt")).toBe("invalid token");
    expect(await refusal(verify, "")).toBe("invalid token");
  });

  describe("lifetime", () => {
    it("accepts exactly the maximum (exp - iat)", async () => {
      const iat = now() - 10;
      await expect(verify(await hs256({ sub: "alice", iat, exp: iat + maxLifetime }))).resolves.toMatchObject({ subject: "alice" });
    });

    it("refuses exp - iat over the maximum, even when little of it is left", async () => {
      const iat = now() - maxLifetime;
      expect(await refusal(verify, await hs256({ sub: "alice", iat, exp: iat + maxLifetime + 60 }))).toBe(`token lifetime exceeds ${maxLifetime} s`);
    });

    it("without iat, refuses exp - now over the maximum", async () => {
      expect(await refusal(verify, await hs256({ sub: "alice", exp: now() + maxLifetime + 60 }))).toBe(`token lifetime exceeds ${maxLifetime} s`);
      await expect(verify(await hs256({ sub: "alice", exp: now() + maxLifetime - 60 }))).resolves.toMatchObject({ subject: "alice" });
    });

    it("an iat in the future does not stretch it", async () => {
      const iat = now() + 30 * 86_400;
      expect(await refusal(verify, await hs256({ sub: "alice", iat, exp: iat + 60 }))).toBe(`token lifetime exceeds ${maxLifetime} s`);
    });

    it("refuses an exp too large to be a date", async () => {
      expect(await refusal(verify, await hs256({ sub: "alice", exp: 1e300 }))).toBe(`token lifetime exceeds ${maxLifetime} s`);
    });
  });

  describe("subject", () => {
    const subjectRule = "token subject (sub) must be 1 to 255 characters";
    it.each([
      ["missing", {}],
      ["empty", { sub: "" }],
      ["not a string", { sub: 42 }],
      ["longer than 255 characters", { sub: "x".repeat(256) }],
      ["holding NUL", { sub: "ali\u0000ce" }],
      ["holding a lone surrogate", { sub: "ali\uD800ce" }],
    ])("refuses a subject %s", async (_name, claims) => {
      expect(await refusal(verify, await hs256({ ...claims, iat: now(), exp: now() + 60 }))).toBe(subjectRule);
    });

    it("accepts 255 characters", async () => {
      await expect(verify(await hs256({ sub: "x".repeat(255), exp: now() + 60 }))).resolves.toMatchObject({ subject: "x".repeat(255) });
    });
  });

  it("drops an email it could not store", async () => {
    const identity = await verify(await hs256({ sub: "alice", email: "a\u0000@example.com", exp: now() + 60 }));
    expect(identity.email).toBeNull();
  });

  it("accepts no HS256 token at all without a secret", async () => {
    const noSecret = makeTokenVerifier({ ...hsOptions, secret: null });
    expect(await refusal(noSecret, await hs256({ sub: "alice", exp: now() + 60 }))).toBe("invalid token");
  });
});

describe("issuer and audience", () => {
  const verify = makeTokenVerifier({ ...hsOptions, issuer: "https://id.example.com/", audience: "job-gateway" });
  const claims = { sub: "alice", exp: now() + 600 };

  it("accepts the configured iss and aud (aud may be a list)", async () => {
    await expect(verify(await hs256({ ...claims, iss: "https://id.example.com/", aud: "job-gateway" }))).resolves.toMatchObject({ subject: "alice" });
    await expect(verify(await hs256({ ...claims, iss: "https://id.example.com/", aud: ["other", "job-gateway"] }))).resolves.toMatchObject({
      subject: "alice",
    });
  });

  it("refuses another or a missing issuer", async () => {
    expect(await refusal(verify, await hs256({ ...claims, iss: "https://evil.example.com/", aud: "job-gateway" }))).toBe(
      "token issuer (iss) not accepted",
    );
    expect(await refusal(verify, await hs256({ ...claims, aud: "job-gateway" }))).toBe("token issuer (iss) not accepted");
  });

  it("refuses another or a missing audience", async () => {
    expect(await refusal(verify, await hs256({ ...claims, iss: "https://id.example.com/", aud: "other-api" }))).toBe(
      "token audience (aud) not accepted",
    );
    expect(await refusal(verify, await hs256({ ...claims, iss: "https://id.example.com/" }))).toBe("token audience (aud) not accepted");
  });

  it("signAccessToken sets them when asked", async () => {
    const token = await signAccessToken(secret, { sub: "alice", expiresIn: "5m", issuer: "https://id.example.com/", audience: "job-gateway" });
    await expect(verify(token)).resolves.toMatchObject({ subject: "alice" });
  });
});

describe("RS256 and ES256 tokens from a JWKS", () => {
  let server: Server;
  let jwksUrl: string;
  let rsa: CryptoKeyPair;
  let ec: CryptoKeyPair;
  let ps: CryptoKeyPair;
  let rsaPublicPem: string;
  let rsaPublicJwk: JWK;
  let verify: ReturnType<typeof makeTokenVerifier>;

  interface CryptoKeyPair {
    privateKey: CryptoKey;
    publicKey: CryptoKey;
  }

  const sign = (alg: string, kid: string, key: CryptoKey, claims: Record<string, unknown> = {}) =>
    new SignJWT({ sub: "idp-user", ...claims })
      .setProtectedHeader({ alg, kid })
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(key);

  beforeAll(async () => {
    rsa = await generateKeyPair("RS256", { extractable: true });
    ec = await generateKeyPair("ES256", { extractable: true });
    ps = await generateKeyPair("PS256", { extractable: true });
    rsaPublicJwk = { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" };
    rsaPublicPem = await exportSPKI(rsa.publicKey);
    const keys = [
      rsaPublicJwk,
      { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" },
      // An RSA key without `alg`: only the algorithms the gateway allows may use it.
      { ...(await exportJWK(ps.publicKey)), kid: "ps-1", use: "sig" },
    ];
    server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    verify = makeTokenVerifier({ ...hsOptions, secret: null, jwksUrl });
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("accepts an RS256 token", async () => {
    const identity = await verify(await sign("RS256", "rsa-1", rsa.privateKey, { email: "idp@example.com" }));
    expect(identity).toMatchObject({ subject: "idp-user", email: "idp@example.com", role: "user" });
  });

  it("accepts an ES256 token", async () => {
    await expect(verify(await sign("ES256", "ec-1", ec.privateKey))).resolves.toMatchObject({ subject: "idp-user" });
  });

  it("still applies the lifetime and subject rules", async () => {
    const long = await new SignJWT({ sub: "idp-user" })
      .setProtectedHeader({ alg: "RS256", kid: "rsa-1" })
      .setIssuedAt()
      .setExpirationTime("2h")
      .sign(rsa.privateKey);
    expect(await refusal(verify, long)).toBe(`token lifetime exceeds ${maxLifetime} s`);
    expect(await refusal(verify, await sign("ES256", "ec-1", ec.privateKey, { sub: "" }))).toBe(
      "token subject (sub) must be 1 to 255 characters",
    );
  });

  it("refuses a token signed by a key not in the set", async () => {
    const stranger = await generateKeyPair("RS256");
    expect(await refusal(verify, await sign("RS256", "rsa-1", stranger.privateKey))).toBe("invalid token");
    expect(await refusal(verify, await sign("RS256", "unknown-kid", stranger.privateKey))).toBe("invalid token");
  });

  describe("algorithm confusion", () => {
    it("refuses alg none", async () => {
      const unsecured = new UnsecuredJWT({ sub: "idp-user" }).setIssuedAt().setExpirationTime("10m").encode();
      expect(await refusal(verify, unsecured)).toBe("invalid token");
      // Also with a secret configured.
      expect(await refusal(makeTokenVerifier({ ...hsOptions, jwksUrl }), unsecured)).toBe("invalid token");
    });

    it("refuses HS256 signed with the identity provider's public key", async () => {
      for (const publicKeyText of [rsaPublicPem, JSON.stringify(rsaPublicJwk)]) {
        const forged = await new SignJWT({ sub: "idp-user" })
          .setProtectedHeader({ alg: "HS256", kid: "rsa-1" })
          .setIssuedAt()
          .setExpirationTime("10m")
          .sign(new TextEncoder().encode(publicKeyText));
        expect(await refusal(verify, forged)).toBe("invalid token");
        expect(await refusal(makeTokenVerifier({ ...hsOptions, jwksUrl }), forged)).toBe("invalid token");
      }
    });

    it("refuses an algorithm outside RS256/ES256, even for a key of the set", async () => {
      expect(await refusal(verify, await sign("PS256", "ps-1", ps.privateKey))).toBe("invalid token");
    });

    it("refuses RS256 claiming the EC key, and ES256 claiming the RSA key", async () => {
      expect(await refusal(verify, await sign("RS256", "ec-1", rsa.privateKey))).toBe("invalid token");
      expect(await refusal(verify, await sign("ES256", "rsa-1", ec.privateKey))).toBe("invalid token");
    });

    it("refuses RS256 when no JWKS is configured", async () => {
      expect(await refusal(makeTokenVerifier(hsOptions), await sign("RS256", "rsa-1", rsa.privateKey))).toBe("invalid token");
    });
  });

  it("says so when the key set cannot be fetched", async () => {
    const unreachable = makeTokenVerifier({ ...hsOptions, secret: null, jwksUrl: "http://127.0.0.1:9/jwks.json" });
    expect(await refusal(unreachable, await sign("RS256", "rsa-1", rsa.privateKey))).toBe(
      "token could not be verified: the identity provider's keys are unavailable",
    );
  });
});
