import { Queue } from "bullmq";
import { uniqueName } from "../../test/helpers/services.js";
import { closedLoop, openLoop } from "../load.js";
import { startPeerWorker } from "../peer-process.js";
import type { RunContext, Sample, Scenario } from "../scenario.js";
import { percentile } from "../stats.js";
import { waitUntil } from "../wait.js";

const workerConcurrency = 100;

/**
 * BullMQ in the shapes of submit and pipeline: Queue.add with `inFlight` in
 * flight, then jobs through two worker processes and add→active at half rate.
 * Its keys live under a prefix of their own, deleted at the end.
 */
export const peersBullmq: Scenario = {
  name: "peer: BullMQ",
  settings: (sizes) => ({
    redis: "127.0.0.1:6379, a key prefix per run, removed afterwards",
    add: `Queue.add one job at a time, ${sizes.inFlight} in flight (addBulk would be faster, but a submit is one job)`,
    workers: `two Worker processes, concurrency ${workerConcurrency} each (BullMQ docs: a concurrency factor for async processors, several workers for the rest), no-op processor`,
    retention: "defaults (completed jobs kept), so completion is counted with getCompletedCount",
    jobs: sizes.pipelineJobs,
    latency: "processor start − job.timestamp, for jobs added at half rate",
  }),
  async run({ sizes, cleanup }: RunContext): Promise<Sample[]> {
    const prefix = uniqueName("jobgw_bench_bull");
    const connection = { host: "127.0.0.1", port: 6379 };
    const sendQueue = new Queue("send", { connection, prefix });
    const pipeQueue = new Queue("pipeline", { connection, prefix });
    cleanup.add(async () => {
      for (const queue of [sendQueue, pipeQueue]) {
        await queue.obliterate({ force: true });
        await queue.close();
      }
    });

    const send = await closedLoop({ workers: sizes.inFlight, durationMs: sizes.peerSendMs, operation: async () => void (await sendQueue.add("job", {})) });

    const workers = await Promise.all(
      [0, 1].map(() => startPeerWorker("bullmq-worker-entry.ts", { queue: "pipeline", prefix, concurrency: workerConcurrency }, cleanup)),
    );
    const started = Date.now();
    await closedLoop({ workers: sizes.inFlight, count: sizes.pipelineJobs, durationMs: sizes.pipelineCapMs, operation: async () => void (await pipeQueue.add("job", {})) });
    const drained = await waitUntil(async () => (await pipeQueue.getCompletedCount()) >= sizes.pipelineJobs, {
      timeoutMs: started + sizes.pipelineCapMs - Date.now(),
      intervalMs: 10,
    });
    const rate = (await pipeQueue.getCompletedCount()) / ((Date.now() - started) / 1000);

    const throughput: Sample[] = [
      { name: "bullmq.add.rate", unit: "jobs/s", value: send.completed / send.seconds },
      { name: "bullmq.pipeline.rate", unit: "jobs/s", value: rate },
      { name: "bullmq.pipeline.capped", unit: "0/1", value: drained ? 0 : 1 },
    ];
    // Behind a backlog the half-rate jobs would measure the backlog.
    if (!drained) return throughput;

    const half = await openLoop({ ratePerSecond: rate / 2, durationMs: sizes.halfRateMs, operation: async () => void (await pipeQueue.add("job", { measure: true })) });
    const expected = sizes.pipelineJobs + half.completed;
    await waitUntil(async () => (await pipeQueue.getCompletedCount()) >= expected, { timeoutMs: 60_000, intervalMs: 20, orThrow: "BullMQ did not finish the half-rate jobs within 60 s" });
    const waitsMs = (await Promise.all(workers.map((worker) => worker.ask<number[]>("latencies")))).flat();
    return [
      ...throughput,
      { name: "bullmq.half-rate.add-to-active.p50", unit: "ms", value: percentile(waitsMs, 50) },
      { name: "bullmq.half-rate.add-to-active.p99", unit: "ms", value: percentile(waitsMs, 99) },
    ];
  },
};
