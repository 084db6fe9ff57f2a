import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseJobMessage, serializeJobMessage, type JobMessage } from "../../src/broker/messages.js";

const message: JobMessage = { jobId: randomUUID(), type: "demo.simulate" };

function reasonOf(body: unknown): string {
  const parsed = parseJobMessage(body);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(body)} to be rejected`);
  return parsed.reason;
}

describe("job messages", () => {
  it("round-trips through serialize and parse", () => {
    expect(parseJobMessage(serializeJobMessage(message))).toEqual({ ok: true, message });
  });

  it("serializes only the job id and type", () => {
    const withExtra = { ...message, params: { secret: 1 } } as JobMessage;
    expect(JSON.parse(serializeJobMessage(withExtra))).toEqual(message);
  });

  it("parses a Buffer body", () => {
    expect(parseJobMessage(Buffer.from(serializeJobMessage(message), "utf8"))).toEqual({ ok: true, message });
  });

  it("parses a string body", () => {
    expect(parseJobMessage(JSON.stringify(message))).toEqual({ ok: true, message });
  });

  it("parses an already decoded object body", () => {
    expect(parseJobMessage({ ...message })).toEqual({ ok: true, message });
  });

  it("drops fields other than jobId and type", () => {
    expect(parseJobMessage({ ...message, priority: 9 })).toEqual({ ok: true, message });
  });

  it.each([
    ["a string", "not json {"],
    ["a Buffer", Buffer.from("\u0000\u0001 garbage")],
    ["an empty Buffer", Buffer.alloc(0)],
    ["an empty string", ""],
  ])("rejects %s that is not JSON", (_, body) => {
    expect(reasonOf(body)).toBe("body is not JSON");
  });

  it("rejects a body without jobId, naming the field", () => {
    expect(reasonOf({ type: "demo.simulate" })).toMatch(/^body is not a job message: .*jobId/);
  });

  it("rejects a body without type, naming the field", () => {
    expect(reasonOf({ jobId: message.jobId })).toMatch(/^body is not a job message: .*type/);
  });

  it("rejects an empty type", () => {
    expect(reasonOf({ jobId: message.jobId, type: "" })).toMatch(/^body is not a job message: .*type/);
  });

  it.each(["42", "not-a-uuid", "00000000-0000-0000-0000-00000000000g", `${message.jobId}x`, " " + message.jobId])(
    "rejects the job id %j as not a uuid",
    (jobId) => {
      expect(reasonOf(JSON.stringify({ jobId, type: "demo.simulate" }))).toMatch(/^body is not a job message: jobId .*UUID/i);
    },
  );

  it("rejects a numeric job id", () => {
    expect(reasonOf({ jobId: 42, type: "demo.simulate" })).toMatch(/^body is not a job message: jobId/);
  });

  it.each([
    ["null", null],
    ["a number", 7],
    ["an array", [message]],
    ["JSON null", "null"],
    ["a JSON string", JSON.stringify(JSON.stringify(message))],
  ])("rejects %s as not a job message", (_, body) => {
    expect(reasonOf(body)).toMatch(/^body is not a job message: /);
  });

  it("lists every problem in one reason", () => {
    const reason = reasonOf({ jobId: "nope" });
    expect(reason).toContain("jobId");
    expect(reason).toContain("type");
    expect(reason).toContain("; ");
  });
});
