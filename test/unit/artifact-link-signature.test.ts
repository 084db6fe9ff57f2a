import { describe, expect, it } from "vitest";
import { artifactLinkPath, checkArtifactLink, signArtifactLink } from "../../src/files/artifact-link-signature.js";

const secret = "a-secret-of-at-least-thirty-two-characters";
const id = "6f1c1a3e-2b4d-4e8a-9c1f-0a1b2c3d4e5f";

function partsOf(path: string) {
  const url = new URL(path, "http://gateway");
  return { id: url.pathname.split("/").at(-1)!, expires: url.searchParams.get("expires"), sig: url.searchParams.get("sig") };
}

describe("artifact link signatures", () => {
  it("a link the gateway signed passes until it expires", () => {
    const parts = partsOf(artifactLinkPath(secret, id, 2_000));
    expect(parts.id).toBe(id);
    expect(checkArtifactLink(secret, parts, 1_999)).toEqual({ ok: true, expiresAt: 2_000 });
    expect(checkArtifactLink(secret, parts, 2_000)).toEqual({ ok: false, reason: "expired" });
  });

  it("a changed id, expiry or signature, or another secret, is invalid", () => {
    const parts = partsOf(artifactLinkPath(secret, id, 2_000));
    expect(checkArtifactLink(secret, { ...parts, id: id.replace("6f", "7f") }, 1_000)).toEqual({ ok: false, reason: "invalid" });
    expect(checkArtifactLink(secret, { ...parts, expires: "2001" }, 1_000)).toEqual({ ok: false, reason: "invalid" });
    const sig = parts.sig!;
    const flipped = `${sig.slice(0, -1)}${sig.at(-1) === "A" ? "B" : "A"}`;
    expect(checkArtifactLink(secret, { ...parts, sig: flipped }, 1_000)).toEqual({ ok: false, reason: "invalid" });
    expect(checkArtifactLink(`${secret}!`, parts, 1_000)).toEqual({ ok: false, reason: "invalid" });
  });

  it("a link with a missing, short, padded or non-numeric part is invalid, not an error", () => {
    const sig = signArtifactLink(secret, id, 2_000);
    expect(checkArtifactLink(secret, { id, expires: null, sig }, 1_000).ok).toBe(false);
    expect(checkArtifactLink(secret, { id, expires: "2000", sig: null }, 1_000).ok).toBe(false);
    expect(checkArtifactLink(secret, { id, expires: "2000", sig: sig.slice(0, 10) }, 1_000).ok).toBe(false);
    expect(checkArtifactLink(secret, { id, expires: "2000", sig: `${sig}=` }, 1_000).ok).toBe(false);
    expect(checkArtifactLink(secret, { id, expires: "2e3", sig }, 1_000).ok).toBe(false);
    expect(checkArtifactLink(secret, { id, expires: "-2000", sig }, 1_000).ok).toBe(false);
  });

  it("an expired link whose signature is wrong says invalid, not expired", () => {
    expect(checkArtifactLink(secret, { id, expires: "10", sig: signArtifactLink(secret, id, 11) }, 1_000)).toEqual({ ok: false, reason: "invalid" });
  });
});
