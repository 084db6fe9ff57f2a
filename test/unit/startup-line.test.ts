import { describe, expect, it } from "vitest";
import { startupLine } from "../../src/observability/startup-line.js";

describe("startupLine", () => {
  const facts = { port: 4000, metricsPort: null, metricsOnPort: true, jobTypes: ["demo.simulate"], production: false };

  it("a gateway names its URL and GraphiQL's, and its port", () => {
    const line = startupLine({ ...facts, role: "all" });
    expect(line.msg).toBe("job gateway started");
    expect(line.fields).toMatchObject({ port: 4000, url: "http://localhost:4000/", graphiql: "http://localhost:4000/graphql", metrics: "http://localhost:4000/metrics" });
    expect(line.fields).not.toHaveProperty("role");
  });

  it("offers no GraphiQL in production, and names a separate metrics port", () => {
    const line = startupLine({ ...facts, role: "gateway", production: true, metricsPort: 9464, metricsOnPort: false });
    expect(line.fields.graphiql).toBeUndefined();
    expect(line.fields.metrics).toBe("http://localhost:9464/metrics");
  });

  it("a worker says it is a worker", () => {
    const line = startupLine({ ...facts, role: "worker", metricsOnPort: false });
    expect(line.msg).toBe("job worker started");
    expect(line.fields).toMatchObject({ port: 4000, health: "http://localhost:4000/healthz", metrics: undefined });
    expect(line.fields).not.toHaveProperty("url");
  });
});
