import { describe, expect, it } from "vitest";
import { loadHandlers } from "../../src/consumers/load-handlers.js";
import { HandlerLoadError } from "../../src/jobs/handler-load-error.js";
import { defineHandler, httpHandler } from "../../src/jobs/handler.js";
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

describe("loadHandlers with a handler's required executables", () => {
  const run = async () => null;

  it("serves the type when each executable it requires is found", async () => {
    const handler = defineHandler(demoSimulate, run, { requires: ["sh"] });
    const handlers = await loadHandlers([demoSimulate], { [demoSimulate.name]: async () => ({ default: handler }) });
    expect(handlers.get(demoSimulate.name)).toBe(run);
  });

  it("stops at start with one line naming the type and each missing executable", async () => {
    const handler = defineHandler(demoSimulate, run, { requires: ["espeak-ng", "sh", "ffmpeg", "ffprobe"] });
    const found = (name: string) => (name === "sh" ? "/bin/sh" : null);
    const loading = loadHandlers([demoSimulate], { [demoSimulate.name]: handler }, { findExecutable: found });
    await expect(loading).rejects.toBeInstanceOf(HandlerLoadError);
    await expect(loading).rejects.toThrow(
      "the handler of job type demo.simulate could not be loaded: it runs espeak-ng, ffmpeg and ffprobe, not found on PATH: install them (README: job types this repository ships) or stop serving demo.simulate",
    );
    await expect(loading).rejects.not.toThrow(/\n/);
  });

  it("looks executables up on the worker's PATH by default", async () => {
    const handler = defineHandler(demoSimulate, run, { requires: ["no-such-executable-for-this-test"] });
    await expect(loadHandlers([demoSimulate], { [demoSimulate.name]: handler })).rejects.toThrow(/it runs no-such-executable-for-this-test, not found on PATH/);
  });

  it("refuses a requires entry that cannot name an executable, at definition", () => {
    expect(() => defineHandler(demoSimulate, run, { requires: ["ffmpeg -y"] })).toThrow('defineHandler(demo.simulate): requires names executables, not "ffmpeg -y"');
  });
});
