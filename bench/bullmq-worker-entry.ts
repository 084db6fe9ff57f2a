import { Worker } from "bullmq";

// A BullMQ worker process with a no-op processor. It keeps how long each job
// marked `measure` waited between add and active; "latencies" asks for them.
const settings = JSON.parse(process.argv[2]!) as { queue: string; prefix: string; concurrency: number };
const waitsMs: number[] = [];
const worker = new Worker(
  settings.queue,
  async (job) => {
    if ((job.data as { measure?: boolean }).measure) waitsMs.push(Date.now() - job.timestamp);
  },
  { connection: { host: "127.0.0.1", port: 6379 }, prefix: settings.prefix, concurrency: settings.concurrency },
);
worker.on("error", (error) => console.error("bullmq worker:", error.message));
await worker.waitUntilReady();
process.send!({ ready: true });
process.on("message", (command) => {
  if (command === "latencies") process.send!(waitsMs);
});
process.on("disconnect", () => void worker.close().finally(() => process.exit(0)));
