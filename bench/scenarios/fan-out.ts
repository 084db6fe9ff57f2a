import { createClient, type Client } from "graphql-ws";
import postgres from "postgres";
import WebSocket from "ws";
import { appEnvironment, startBenchApp } from "../app-processes.js";
import { emptiedVhost, freshDatabase } from "../environment.js";
import { submitBody, submitJob } from "../gateway-client.js";
import { createHttpClient } from "../http-client.js";
import { closedLoop } from "../load.js";
import { heapSnapshotDir, heapSnapshotNodeArgs, memoryOf, takeHeapSnapshot } from "../gateway-memory.js";
import { phase } from "../log.js";
import { cpuSeconds, residentMegabytes } from "../proc-stats.js";
import type { RunContext, Sample, Scenario } from "../scenario.js";
import { percentile } from "../stats.js";
import { createUsers } from "../users.js";
import { sleep, waitUntil } from "../wait.js";

const stepMs = 500;
const steps = 1_000; // far longer than a run: the processes are killed at the end
const connectInParallel = 50;

const eventsSubscription = `subscription Follow($id: ID!, $after: Int!) { jobEvents(id: $id, after: $after) { seq at status } }`;

/**
 * One graphql-ws client per running job, each following its job's events;
 * every job reports progress every 500 ms from real worker processes. Over a
 * window: commit→client latency (receive time − the event's `at`, one clock),
 * the gateway's RSS and CPU, and /readyz polled every 100 ms.
 */
export const fanOut: Scenario = {
  name: "fan-out",
  settings: (sizes) => ({
    clients: sizes.fanOutClients,
    users: `${sizes.fanOutClients} (one per client, so no per-user limit applies)`,
    jobs: `${sizes.fanOutClients} demo.simulate { steps: ${steps}, stepMs: ${stepMs} }, ${(sizes.fanOutClients * 1000) / stepMs} progress events/s in all`,
    processes: `one gateway and two workers (demo.simulate concurrency ${Math.ceil(sizes.fanOutClients / 2)} each, PROGRESS_MIN_INTERVAL_MS=0)`,
    windowSeconds: sizes.fanOutWindowMs / 1000,
    latency: "client receive time − event.at",
  }),
  async run({ sizes, template, rabbitmqUrl: vhostUrl, cleanup }: RunContext): Promise<Sample[]> {
    const count = sizes.fanOutClients;
    const rabbitmqUrl = emptiedVhost(vhostUrl, cleanup);
    const url = await freshDatabase(template, cleanup);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    cleanup.add(() => sql.end({ timeout: 5 }));
    const { tokens } = await createUsers(sql, count, 1_000);
    const env = { ...appEnvironment(url, rabbitmqUrl), BENCH_DEMO_TIMEOUT_MS: String(steps * stepMs * 2) };
    const worker = { ...env, ROLE: "worker", BENCH_DEMO_CONCURRENCY: String(Math.ceil(count / 2)), PROGRESS_MIN_INTERVAL_MS: "0" };
    // The workers start once every client follows its job, so that the ramp-up
    // (submits, sockets) does not compete with 2,000 progress writes a second.
    const gateway = await startBenchApp({ ...env, ROLE: "gateway" }, cleanup, { nodeArgs: heapSnapshotDir ? heapSnapshotNodeArgs(heapSnapshotDir) : [] });
    const gatewayPid = gateway.child.pid!;
    phase("fan-out: gateway started");
    const http = createHttpClient(gateway.url, sizes.inFlight);
    cleanup.add(async () => http.close());
    const probes = createHttpClient(gateway.url, 20);
    cleanup.add(async () => probes.close());

    const body = submitBody({ steps, stepMs });
    const jobs: { id: string; seq: number }[] = new Array(count);
    await closedLoop({ workers: sizes.inFlight, count, operation: async (_w, i) => void (jobs[i] = await submitJob(http, body, tokens[i]!)) });

    phase("fan-out: jobs submitted");
    let window: { from: number; to: number } | null = null;
    const latenciesMs: number[] = [];
    const heard = new Set<number>();
    // Each stream must go on seq by seq: a gap or a repeat fails the run.
    const lastSeq = jobs.map((job) => job.seq);
    let failure: unknown = null;
    const clients: Client[] = [];
    cleanup.add(() => Promise.all(clients.map((client) => client.dispose())));
    const follow = async (i: number) => {
      const client = createClient({
        url: gateway.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${tokens[i]}` },
        retryAttempts: 0,
        lazy: false,
      });
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.on("connected", () => resolve());
        client.on("closed", () => reject(new Error(`client ${i} closed before connecting`)));
      });
      client.subscribe<{ jobEvents: { seq: number; at: string } }>(
        { query: eventsSubscription, variables: { id: jobs[i]!.id, after: jobs[i]!.seq } },
        {
          next: (message) => {
            const received = Date.now();
            if (message.errors?.length || !message.data) return void (failure ??= new Error(JSON.stringify(message.errors)));
            heard.add(i);
            const { seq } = message.data.jobEvents;
            if (seq !== lastSeq[i]! + 1) failure ??= new Error(`client ${i}: event ${seq} after ${lastSeq[i]}`);
            lastSeq[i] = seq;
            if (window && received >= window.from && window.to === 0) latenciesMs.push(received - Date.parse(message.data.jobEvents.at));
          },
          error: (error) => void (failure ??= error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => {},
        },
      );
    };
    await closedLoop({ workers: connectInParallel, count, operation: (_w, i) => follow(i) });
    phase("fan-out: clients subscribed");
    await Promise.all([startBenchApp(worker, cleanup), startBenchApp(worker, cleanup)]);
    phase("fan-out: workers started");
    await waitUntil(async () => failure !== null || heard.size === count, {
      timeoutMs: 60_000,
      intervalMs: 100,
      orThrow: `only ${heard.size} of ${count} clients heard of their job within 60 s`,
    });
    if (failure) throw failure;

    phase("fan-out: every client heard of its job; window opens");
    const readyzMs: number[] = [];
    const benchCpuBefore = process.cpuUsage();
    let peakRss = residentMegabytes(gatewayPid);
    const cpuBefore = cpuSeconds(gatewayPid);
    // /readyz every 100 ms whether or not the last answered: a slow one does not thin the samples.
    const probe = async () => {
      const t0 = performance.now();
      const answer = await probes.get("/readyz");
      readyzMs.push(performance.now() - t0);
      if (answer.status !== 200) throw new Error(`/readyz answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    };
    const pending: Promise<void>[] = [];
    window = { from: Date.now(), to: 0 };
    const probing = setInterval(() => pending.push(probe().catch((error: unknown) => void (failure ??= error))), 100);
    const sampling = setInterval(() => (peakRss = Math.max(peakRss, residentMegabytes(gatewayPid))), 250);
    await sleep(sizes.fanOutWindowMs);
    clearInterval(probing);
    clearInterval(sampling);
    window.to = Date.now();
    const cpu = (cpuSeconds(gatewayPid) - cpuBefore) / ((window.to - window.from) / 1000);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    await Promise.all(pending);
    const seconds = (window.to - window.from) / 1000;
    if (failure) throw failure;
    // Where the resident memory is, with every socket still open.
    const memory = await memoryOf(probes);
    if (heapSnapshotDir) console.error(`fan-out: the gateway wrote ${await takeHeapSnapshot(gatewayPid, heapSnapshotDir)}`);

    return [
      { name: "fan-out.events", unit: "events/s", value: latenciesMs.length / seconds },
      { name: "fan-out.latency.p50", unit: "ms", value: percentile(latenciesMs, 50) },
      { name: "fan-out.latency.p99", unit: "ms", value: percentile(latenciesMs, 99) },
      { name: "fan-out.gateway.rss", unit: "MB", value: peakRss },
      { name: "fan-out.gateway.heap-used", unit: "MB", value: memory.heapUsed },
      { name: "fan-out.gateway.heap-total", unit: "MB", value: memory.heapTotal },
      { name: "fan-out.gateway.external", unit: "MB", value: memory.external },
      { name: "fan-out.gateway.cpu", unit: "% of a core", value: cpu * 100 },
      // What one delivered event costs the gateway: a burst of n events is sent over n times this.
      { name: "fan-out.gateway.cpu-per-event", unit: "µs", value: (cpu * 1e6) / (latenciesMs.length / seconds) },
      // The clients share one process: if it is saturated, the latencies are the bench's.
      { name: "fan-out.clients.cpu", unit: "% of a core", value: ((benchCpu.user + benchCpu.system) / 1e6 / seconds) * 100 },
      { name: "fan-out.readyz.p99", unit: "ms", value: percentile(readyzMs, 99) },
      { name: "fan-out.readyz.max", unit: "ms", value: Math.max(...readyzMs) },
    ];
  },
};
