import { z } from "zod";

/** What travels through RabbitMQ: only a pointer; the job row is the truth. */
export interface JobMessage {
  jobId: string;
  type: string;
}

const jobMessageSchema = z.object({ jobId: z.uuid(), type: z.string().min(1) });

export function serializeJobMessage(message: JobMessage): string {
  return JSON.stringify({ jobId: message.jobId, type: message.type });
}

export type ParsedJobMessage = { ok: true; message: JobMessage } | { ok: false; reason: string };

/** Parses a delivery body (Buffer, string or already decoded JSON). */
export function parseJobMessage(body: unknown): ParsedJobMessage {
  let value = body;
  try {
    if (Buffer.isBuffer(value)) value = value.toString("utf8");
    if (typeof value === "string") value = JSON.parse(value);
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
  const parsed = jobMessageSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, reason: `body is not a job message: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"} ${i.message}`).join("; ")}` };
  }
  return { ok: true, message: parsed.data };
}
