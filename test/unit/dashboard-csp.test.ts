import { describe, expect, it } from "vitest";
import { dashboardFileOrigins, s3OriginsOf } from "../../src/http/routes/dashboard-routes.js";
import { dashboardSecurityHeaders } from "../../src/http/security-headers.js";

const s3 = (overrides: Partial<NonNullable<Parameters<typeof s3OriginsOf>[0]>> = {}) => ({
  bucket: "job-files",
  region: "eu-west-1",
  endpoint: null,
  forcePathStyle: false,
  credentials: null,
  ...overrides,
});
const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `));

describe("where the dashboard's files come from", () => {
  it("is the public URL's origin with local artifacts (their signed links and upload URLs are under it)", () => {
    expect(dashboardFileOrigins({ publicUrl: () => "https://jobs.example.com/api", artifacts: { store: "local" }, s3: null })).toEqual(["https://jobs.example.com"]);
    // A bucket set for uploads alone: artifacts are still the gateway's.
    expect(dashboardFileOrigins({ publicUrl: () => "http://localhost:4000", artifacts: { store: "local" }, s3: s3() })).toEqual(["http://localhost:4000"]);
  });

  it("adds the bucket's origin with ARTIFACT_STORE=s3, as the SDK presigns its links", () => {
    expect(dashboardFileOrigins({ publicUrl: () => "https://jobs.example.com", artifacts: { store: "s3" }, s3: s3() })).toEqual([
      "https://jobs.example.com",
      "https://job-files.s3.eu-west-1.amazonaws.com",
    ]);
    expect(s3OriginsOf(s3({ endpoint: "http://127.0.0.1:4569", forcePathStyle: true }))).toEqual(["http://127.0.0.1:4569"]);
    expect(s3OriginsOf(s3({ endpoint: "https://files.example.net/", forcePathStyle: false }))).toEqual(["https://job-files.files.example.net"]);
    expect(s3OriginsOf(s3({ forcePathStyle: true }))).toEqual(["https://s3.eu-west-1.amazonaws.com"]);
    expect(s3OriginsOf(s3({ bucket: "files.example.com" }))).toEqual(["https://files.example.com.s3.eu-west-1.amazonaws.com", "https://s3.eu-west-1.amazonaws.com"]);
  });
});

describe("the dashboard's CSP with file origins", () => {
  it("lets players, posters and reads reach them, and nothing else", () => {
    const csp = dashboardSecurityHeaders("127.0.0.1:4000", ["http://localhost:4000", "https://job-files.s3.eu-west-1.amazonaws.com"])["content-security-policy"]!;
    expect(directive(csp, "media-src")).toBe("media-src 'self' http://localhost:4000 https://job-files.s3.eu-west-1.amazonaws.com");
    expect(directive(csp, "img-src")).toBe("img-src 'self' data: http://localhost:4000 https://job-files.s3.eu-west-1.amazonaws.com");
    expect(directive(csp, "connect-src")).toBe(
      "connect-src 'self' ws://127.0.0.1:4000 wss://127.0.0.1:4000 http://localhost:4000 https://job-files.s3.eu-west-1.amazonaws.com",
    );
    expect(directive(csp, "script-src")).toBe("script-src 'self'");
    expect(csp).not.toMatch(/unsafe|\*/);
  });

  it("without any, media comes from its own origin only", () => {
    const csp = dashboardSecurityHeaders("jobs.example.com")["content-security-policy"]!;
    expect(directive(csp, "media-src")).toBe("media-src 'self'");
    expect(directive(csp, "img-src")).toBe("img-src 'self' data:");
  });

  it.each(["https://a.example; script-src *", "javascript:alert(1)", "https://a.example/path", "'unsafe-inline'"])("leaves an origin such as %j out of the policy", (origin) => {
    const csp = dashboardSecurityHeaders("jobs.example.com", [origin])["content-security-policy"]!;
    expect(directive(csp, "media-src")).toBe("media-src 'self'");
    expect(csp).not.toMatch(/unsafe|\*|javascript|path/);
  });
});
