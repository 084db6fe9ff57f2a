import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appendJobOutput } from "../src/db/queries/append-job-output.js";
import { sleep } from "../src/jobs/sleep.js";
import { gql, gqlData, openWebSocketSubscription } from "./helpers/graphql-client.js";
import { defineTestJobType } from "./helpers/job-types.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

/** Permits per job: a gated handler writes its next piece only once the test lets it. */
const permits = new Map<string, { count: number; waiters: (() => void)[] }>();
const gateOf = (jobId: string) => {
  let gate = permits.get(jobId);
  if (!gate) permits.set(jobId, (gate = { count: 0, waiters: [] }));
  return gate;
};
const release = (jobId: string, count = 1) => {
  const gate = gateOf(jobId);
  gate.count += count;
  for (const waiter of gate.waiters.splice(0)) waiter();
};
async function passGate(jobId: string, signal: AbortSignal) {
  const gate = gateOf(jobId);
  while (gate.count === 0) {
    if (signal.aborted) throw signal.reason;
    await new Promise<void>((resolve) => gate.waiters.push(resolve));
  }
  gate.count--;
}

const writer = defineTestJobType({
  name: "test.writer",
  description: "test: streams its pieces through ctx.output, each after a permit when gated; fails its first failAttempts attempts after writing",
  cost: 1,
  maxAttempts: 3,
  backoffMs: [50],
  params: z.object({ pieces: z.array(z.string()), gated: z.boolean().default(false), failAttempts: z.number().int().default(0) }),
  async run({ jobId, attempt, params, output, signal }) {
    for (const piece of params.pieces) {
      if (params.gated) await passGate(jobId, signal);
      await output.write(attempt <= params.failAttempts ? `(attempt ${attempt}) ${piece}` : piece);
      if (!params.gated) await sleep(5, signal);
    }
    if (attempt <= params.failAttempts) throw new Error(`attempt ${attempt} fails after writing`);
    return { pieces: params.pieces.length };
  },
});

const t = useTestApp({ jobTypes: [writer] });

const outputSubscription = /* GraphQL */ `
  subscription Output($id: ID!, $offset: Int, $attempt: Int) {
    jobOutput(id: $id, offset: $offset, attempt: $attempt) { jobId attempt offset text }
  }
`;
const outputQuery = /* GraphQL */ `
  query Output($id: ID!) { job(id: $id) { status attempts output } }
`;

interface Chunk {
  jobId: string;
  attempt: number;
  offset: number;
  text: string;
}

async function submit(subject: string, params: Record<string, unknown>) {
  await grant(t.env.sql, subject, 10);
  const token = await tokenFor(subject);
  const submitted = await gqlData(t.app.url, submitJobMutation, { input: { type: "test.writer", params } }, token);
  expect(submitted.submitJob.__typename).toBe("SubmitJobSuccess");
  return { token, id: submitted.submitJob.job.id as string };
}

function follow(token: string, variables: Record<string, unknown>) {
  const subscription = openWebSocketSubscription(t.app.url, token, outputSubscription, variables);
  return {
    /** The next chunk, or null once the stream completed. */
    async next(): Promise<Chunk | null> {
      const payload = await subscription.next();
      if (payload === null) return null;
      expect(payload.errors).toBeUndefined();
      return payload.data!.jobOutput as Chunk;
    },
    async rest(): Promise<Chunk[]> {
      const chunks: Chunk[] = [];
      for (let chunk = await this.next(); chunk !== null; chunk = await this.next()) chunks.push(chunk);
      return chunks;
    },
    close: () => subscription.close(),
  };
}

/** Each chunk begins where the one before it ended. */
function expectTiled(chunks: Chunk[], from = 0) {
  let at = from;
  for (const chunk of chunks) {
    expect(chunk.offset).toBe(at);
    at += chunk.text.length;
  }
}

const pieces = ["Once upon a time, ", "a gateway ", "streamed ", "its story ", "to whoever ", "listened. ", "The end."];

describe("jobOutput", () => {
  it("sends each chunk while the handler writes, in order and tiled, then ends after SUCCEEDED; Job.output is the whole text", async () => {
    const { token, id } = await submit("output-live", { pieces, gated: true });
    const stream = follow(token, { id });
    try {
      const seen: Chunk[] = [];
      for (const piece of pieces) {
        release(id);
        // The piece arrives before the handler may write the next one: it is live, not sent at the end.
        const chunk = (await stream.next())!;
        expect(chunk).toMatchObject({ jobId: id, attempt: 1, text: piece });
        seen.push(chunk);
      }
      expectTiled(seen);
      expect(await stream.next()).toBeNull();
    } finally {
      await stream.close();
    }
    const job = (await gqlData(t.app.url, outputQuery, { id }, token)).job;
    expect(job).toEqual({ status: "SUCCEEDED", attempts: 1, output: pieces.join("") });
  });

  it("resumes after a reconnect from the last chunk's attempt and end, with no gap and no repeat", async () => {
    const { token, id } = await submit("output-resume", { pieces, gated: true });
    const first = follow(token, { id });
    const before: Chunk[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        release(id);
        before.push((await first.next())!);
      }
    } finally {
      await first.close();
    }
    // Written while no one listens.
    release(id, 2);
    const upTo = pieces.slice(0, 4).join("");
    await waitFor(async () => (await gqlData(t.app.url, outputQuery, { id }, token)).job.output === upTo || undefined, { what: "four pieces written" });

    const last = before.at(-1)!;
    const second = follow(token, { id, attempt: last.attempt, offset: last.offset + last.text.length });
    try {
      const caughtUp = (await second.next())!;
      release(id, pieces.length - 4);
      const after = [caughtUp, ...(await second.rest())];
      expectTiled(after, last.offset + last.text.length);
      expect([...before, ...after].map((chunk) => chunk.text).join("")).toBe(pieces.join(""));
    } finally {
      await second.close();
    }

    // From inside a chunk: the chunk is cut there; a finished job's stream ends after its text.
    const inside = follow(token, { id, offset: 3 });
    const rest = await inside.rest();
    await inside.close();
    expect(rest[0]).toMatchObject({ offset: 3, text: pieces[0]!.slice(3) });
    expect(rest.map((chunk) => chunk.text).join("")).toBe(pieces.join("").slice(3));
  });

  it("a retry starts the output over: the new attempt's chunks come from offset 0, and Job.output is the last attempt's text", async () => {
    const { token, id } = await submit("output-retry", { pieces: pieces.slice(0, 3), failAttempts: 1 });
    const stream = follow(token, { id });
    const chunks = await stream.rest();
    await stream.close();
    const lastAttempt = chunks.filter((chunk) => chunk.attempt === 2);
    expect(chunks.every((chunk) => chunk.attempt === 1 || chunk.attempt === 2)).toBe(true);
    // Attempts never interleave: once the second begins, the first says nothing more.
    expect(chunks.slice(chunks.length - lastAttempt.length)).toEqual(lastAttempt);
    expectTiled(lastAttempt);
    expect(lastAttempt.map((chunk) => chunk.text).join("")).toBe(pieces.slice(0, 3).join(""));
    expectTiled(chunks.filter((chunk) => chunk.attempt === 1));

    const job = (await gqlData(t.app.url, outputQuery, { id }, token)).job;
    expect(job).toEqual({ status: "SUCCEEDED", attempts: 2, output: pieces.slice(0, 3).join("") });
    const stored = await t.env.sql`select attempt, string_agg(text, '' order by "offset") as text from job_output_chunks where job_id = ${id} group by attempt order by attempt`;
    expect(stored.map((row) => [row.attempt, row.text])).toEqual([
      [1, pieces.slice(0, 3).map((piece) => `(attempt 1) ${piece}`).join("")],
      [2, pieces.slice(0, 3).join("")],
    ]);
  });

  it("a chunk of an attempt that no longer holds its job is not written", async () => {
    const { id } = await submit("output-fence", { pieces: ["only this"] });
    await waitFor(async () => (await t.env.sql`select status from jobs where id = ${id}`)[0]!.status === "SUCCEEDED" || undefined, { what: "the job to succeed" });
    // Finished: its attempt writes nothing more.
    expect(await appendJobOutput(t.env.db, [{ jobId: id, attempt: 1, offset: 9, text: " and more" }])).toEqual([false]);
    // Held by another attempt: the old one is fenced out, the holder writes.
    await t.env.sql`update jobs set status = 'RUNNING', attempts = 2 where id = ${id}`;
    expect(
      await appendJobOutput(t.env.db, [
        { jobId: id, attempt: 1, offset: 9, text: " stale" },
        { jobId: id, attempt: 2, offset: 0, text: "fresh" },
      ]),
    ).toEqual([false, true]);
    const rows = await t.env.sql`select attempt, "offset", text from job_output_chunks where job_id = ${id} order by attempt, "offset"`;
    expect(rows.map((row) => [row.attempt, row.offset, row.text])).toEqual([
      [1, 0, "only this"],
      [2, 0, "fresh"],
    ]);
    await t.env.sql`update jobs set status = 'SUCCEEDED' where id = ${id}`;
  });

  it("is the owner's: another user's job is not found, and a job that wrote nothing has no output", async () => {
    const { token, id } = await submit("output-owner", { pieces: [] });
    const stranger = await tokenFor("output-stranger");
    const stream = openWebSocketSubscription(t.app.url, stranger, outputSubscription, { id });
    const payload = await stream.next();
    await stream.close();
    expect(payload?.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await gql(t.app.url, outputQuery, { id }, stranger)).data?.job).toBeNull();

    await waitFor(async () => (await gqlData(t.app.url, outputQuery, { id }, token)).job.status === "SUCCEEDED" || undefined, { what: "the job to succeed" });
    expect((await gqlData(t.app.url, outputQuery, { id }, token)).job.output).toBeNull();
    const nothing = follow(token, { id });
    expect(await nothing.rest()).toEqual([]);
    await nothing.close();
  });
});
