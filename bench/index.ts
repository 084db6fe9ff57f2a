import os from "node:os";
import { fileURLToPath } from "node:url";
import { killAllChildren } from "./children.js";
import { createCleanup, type Cleanup } from "./cleanup.js";
import { createBenchVhost, createMigratedTemplate, describeMachine } from "./environment.js";
import type { Sample, Scenario } from "./scenario.js";
import { ceilings } from "./scenarios/ceilings.js";
import { fanOut } from "./scenarios/fan-out.js";
import { peersBullmq } from "./scenarios/peers-bullmq.js";
import { peersPgBoss } from "./scenarios/peers-pg-boss.js";
import { pipeline, pipelineBatched } from "./scenarios/pipeline.js";
import { submit } from "./scenarios/submit.js";
import { plainYogaSubmit } from "./scenarios/submit-plain-yoga.js";
import { fullSizes, quickSizes } from "./sizes.js";
import { spread } from "./stats.js";
import { formatTable, writeResults, type Results } from "./table.js";
import { checkTargets, type Metric } from "./targets.js";

// npm run bench [-- --quick] [--only=submit,pipeline] [--runs=N]
// --only matches part of a name: `submit` runs the project's submit and the plain yoga reference beside it,
// `pipeline` both pipelines (single and batched submits), `batched` the batched one alone.
// Every scenario, each run on a fresh database and vhost; the runs go round
// robin so that a disturbance of the machine spreads over all scenarios.
// Missed targets are reported, not failed: only an error fails the bench.
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((arg) => arg.startsWith("--only="))?.slice("--only=".length).split(",");
const runs = args.find((arg) => arg.startsWith("--runs="))?.slice("--runs=".length);
const unknown = args.filter((arg) => arg !== "--quick" && !/^--(only|runs)=./.test(arg));
if (unknown.length > 0 || (runs !== undefined && !/^[1-9]\d*$/.test(runs))) {
  console.error(`usage: npm run bench [-- --quick] [--only=ceilings,submit,plain,pipeline,batched,fan-out,bullmq,pg-boss] [--runs=N]`);
  process.exit(2);
}

const sizes = { ...(quick ? quickSizes : fullSizes), ...(runs ? { runs: Number(runs) } : {}) };
const all: Scenario[] = [ceilings, submit, plainYogaSubmit, pipeline, pipelineBatched, fanOut, peersBullmq, peersPgBoss];
const scenarios = only ? all.filter((scenario) => only.some((name) => scenario.name.toLowerCase().includes(name.toLowerCase()))) : all;
// Only a full run of every scenario replaces the committed results.
const resultsFile = only || runs ? "partial.json" : quick ? "quick.json" : "latest.json";
const output = fileURLToPath(new URL(`results/${resultsFile}`, import.meta.url));

const started = performance.now();
const loadAtStart = os.loadavg()[0]!;
const machine = await describeMachine();
const samples: Sample[] = [];
const errors: string[] = [];
const scenarioSeconds: Record<string, number> = {};
const template = await createMigratedTemplate();
const vhost = await createBenchVhost().catch(async (error: unknown) => {
  await template.drop();
  throw error;
});
// Interrupted: the processes go first, then the running scenario's databases, the vhost and the
// template, at once (a scenario waiting on a timer would notice late); no scenario starts after.
let current: Cleanup | null = null;
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`${signal}: cleaning up`);
    interrupted = true;
    killAllChildren();
    void (async () => {
      await current?.run().catch(() => {});
      await vhost.drop().catch(() => {});
      await template.drop().catch(() => {});
      process.exit(130);
    })();
  });
}
try {
  for (let run = 1; run <= sizes.runs; run++) {
    for (const scenario of scenarios) {
      if (interrupted) break;
      const t0 = performance.now();
      const took = () => {
        const seconds = (performance.now() - t0) / 1000;
        scenarioSeconds[scenario.name] = Math.round(((scenarioSeconds[scenario.name] ?? 0) + seconds) * 10) / 10;
        return seconds.toFixed(1);
      };
      const cleanup = (current = createCleanup());
      try {
        const measured = await scenario.run({ sizes, template: template.name, rabbitmqUrl: vhost.url, cleanup });
        await cleanup.run();
        samples.push(...measured);
        const summary = measured.map((sample) => `${sample.name} ${sample.value.toFixed(1)}`).join(", ");
        console.log(`run ${run}/${sizes.runs} ${scenario.name} (${took()} s): ${summary}`);
      } catch (error) {
        await cleanup.run().catch(() => {});
        took();
        const message = `${scenario.name}, run ${run}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
        errors.push(message);
        console.error(`run ${run}/${sizes.runs} ${scenario.name} FAILED: ${message}`);
      }
    }
  }
} finally {
  if (!interrupted) {
    await vhost.drop();
    await template.drop();
  }
}
// Interrupted results are not results: the signal handler exits once it has cleaned up.
if (interrupted) await new Promise(() => {});

const metrics: Metric[] = [];
for (const sample of samples) {
  if (metrics.some((metric) => metric.name === sample.name)) continue;
  const values = samples.filter((other) => other.name === sample.name).map((other) => other.value);
  metrics.push({ name: sample.name, unit: sample.unit, ...spread(values) });
}
const results: Results = {
  date: new Date().toISOString(),
  mode: quick ? "quick" : "full",
  runs: sizes.runs,
  wallSeconds: (performance.now() - started) / 1000,
  loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
  scenarioSeconds,
  machine,
  settings: Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.settings(sizes)])),
  metrics,
  targets: checkTargets(metrics),
  errors,
};
writeResults(output, results);
console.log(`\n${formatTable(results)}\n\nwritten to ${output}`);
process.exit(errors.length > 0 ? 1 : 0);
