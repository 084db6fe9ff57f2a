import { randomUUID } from "node:crypto";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { followJob, GraphQLRequestError, submitAndFollow, type JobEvent } from "../examples/typed-client/submit-and-follow.js";
import { grant } from "./helpers/ledger.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();
const user = "example-client-user";

describe("examples/typed-client", () => {
  it("submits a job and follows its events to SUCCEEDED, each once, in order, progress only rising", async () => {
    await grant(t.env.sql, user, 5);
    const events: JobEvent[] = [];
    const job = await submitAndFollow({
      url: t.app.url,
      token: await tokenFor(user),
      type: "demo.simulate",
      params: { steps: 5, stepMs: 20, result: { ok: true } },
      onEvent: (event) => events.push(event),
    });

    expect(job).toMatchObject({ status: "SUCCEEDED", result: { ok: true }, error: null });
    expect(events[0]).toMatchObject({ seq: 1, status: "QUEUED" });
    expect(events.at(-1)).toMatchObject({ status: "SUCCEEDED", progress: 1 });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    const progress = events.map((event) => event.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // One event per step (PROGRESS_MIN_INTERVAL_MS is 0 in tests): 0.2, 0.4, … 1.
    expect(new Set(progress.filter((value) => value > 0)).size).toBeGreaterThanOrEqual(5);
  });

  it("resumes after its WebSocket drops, from the last event seen: no gap, no repeat", async () => {
    await grant(t.env.sql, user, 1);
    const proxy = await startCuttableProxy(t.app.port);
    const events: JobEvent[] = [];
    try {
      const job = await submitAndFollow({
        url: `http://127.0.0.1:${proxy.port}/graphql`,
        token: await tokenFor(user),
        type: "demo.simulate",
        params: { steps: 10, stepMs: 100 },
        onEvent: (event) => {
          events.push(event);
          if (event.seq === 4) proxy.cut();
        },
      });
      expect(job.status).toBe("SUCCEEDED");
    } finally {
      await proxy.close();
    }
    expect(proxy.cuts).toBe(1);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)).toMatchObject({ status: "SUCCEEDED", progress: 1 });
  });

  it("reports a refused submit as an error naming the problem", async () => {
    await expect(
      submitAndFollow({ url: t.app.url, token: await tokenFor(user), type: "demo.simulate", params: { steps: -1 } }),
    ).rejects.toThrow(/^ValidationError: .*steps/);
  });

  it("fails at once, on its first connection, when the server answers the follow with an error (no such job)", async () => {
    const proxy = await startCuttableProxy(t.app.port);
    try {
      const followed = followJob({ url: `http://127.0.0.1:${proxy.port}/graphql`, token: await tokenFor(user), jobId: randomUUID() });
      await expect(followed).rejects.toBeInstanceOf(GraphQLRequestError);
      await expect(followed).rejects.toThrow(/NOT_FOUND|not found|does not exist/i);
    } finally {
      await proxy.close();
    }
    // A retry would have opened another connection.
    expect(proxy.connections).toBe(1);
  });
});

/** A TCP proxy to the app whose open connections can be cut at once, as a network drop would. */
async function startCuttableProxy(targetPort: number) {
  const open = new Set<Socket>();
  let cuts = 0;
  let connections = 0;
  const server: Server = createServer((client) => {
    connections += 1;
    const upstream = createConnection(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    get cuts() {
      return cuts;
    },
    get connections() {
      return connections;
    },
    cut() {
      cuts += 1;
      for (const socket of open) socket.destroy();
    },
    close: () => {
      for (const socket of open) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
