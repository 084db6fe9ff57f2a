import PgBoss from "pg-boss";

// A pg-boss worker process: `workers` polling workers (work() calls), each
// fetching up to `batchSize` jobs per poll, with a no-op handler. The queue
// and schema exist already (the bench created them).
const settings = JSON.parse(process.argv[2]!) as { url: string; queue: string; workers: number; batchSize: number; pollingIntervalSeconds: number };
const boss = new PgBoss({ connectionString: settings.url, supervise: false, schedule: false, migrate: false });
boss.on("error", (error) => console.error("pg-boss worker:", error.message));
await boss.start();
for (let i = 0; i < settings.workers; i++) {
  await boss.work(settings.queue, { batchSize: settings.batchSize, pollingIntervalSeconds: settings.pollingIntervalSeconds }, async (jobs) => {
    await Promise.all(jobs.map(async () => {}));
  });
}
process.send!({ ready: true });
process.on("disconnect", () => void boss.stop({ graceful: false }).finally(() => process.exit(0)));
