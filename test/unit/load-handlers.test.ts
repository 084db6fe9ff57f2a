import { describe, expect, it } from "vitest";
import { loadHandlers } from "../../src/consumers/load-handlers.js";
import { httpHandler } from "../../src/jobs/handler.js";
import { demoSimulate } from "../../src/jobs/types/demo-simulate.js";

describe("loadHandlers with an HTTP handler", () => {
  it("wraps the endpoint in a run function", async () => {
    const handlers = await loadHandlers([demoSimulate], { [demoSimulate.name]: httpHandler({ url: "http://127.0.0.1:1/run", secret: "whsec_c2VjcmV0LWtleS1vZi10aGUtdGVzdA==" }) });
    expect(typeof handlers.get(demoSimulate.name)).toBe("function");
  });

  it("stops at start, naming the type, when the secret is not a Standard Webhooks secret", async () => {
    await expect(loadHandlers([demoSimulate], { [demoSimulate.name]: httpHandler({ url: "http://127.0.0.1:1/run", secret: "plain password" }) })).rejects.toThrow(
      /the handler of job type demo\.simulate could not be loaded: its secret must be "whsec_" and a base64 key/,
    );
  });
});
