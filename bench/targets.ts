/** The aggregate of one metric over the runs. */
export interface Metric {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
}

export interface Target {
  name: string;
  value: number | null;
  /** null: reported only. */
  target: number | null;
  comparison: ">=" | "<=" | "<" | "report";
  /** value / target (the value itself where there is no target). */
  ratio: number | null;
  met: boolean | null;
}

/** The performance targets, checked against the medians. */
export function checkTargets(metrics: readonly Metric[]): Target[] {
  const median = (name: string) => metrics.find((metric) => metric.name === name)?.median ?? Number.NaN;
  const quotient = (a: string, b: string) => median(a) / median(b);
  return [
    target("submit rate / transaction ceiling", quotient("submit.rate", "ceiling.transaction"), ">=", 0.45),
    // The plain reference (bench/plain-yoga-entry.ts): what a minimal yoga server doing the same submit gets here.
    target("submit rate / plain yoga's", quotient("submit.rate", "plain-yoga.submit.rate"), ">=", 1),
    target("plain yoga rate / transaction ceiling", quotient("plain-yoga.submit.rate", "ceiling.transaction"), "report", null),
    target("submit p99 at half the maximum rate (ms)", median("submit.half-rate.p99"), "<=", 20),
    // Issue 15: with one submitJob per job half pg-boss's, with submitJobs batches all of it.
    target("pipeline rate / pg-boss's", quotient("pipeline.rate", "pg-boss.pipeline.rate"), ">=", 0.5),
    target("pipeline rate / BullMQ's", quotient("pipeline.rate", "bullmq.pipeline.rate"), "report", null),
    target("batched pipeline rate / pg-boss's", quotient("pipeline.batched.rate", "pg-boss.pipeline.rate"), ">=", 1),
    target("batched pipeline rate / BullMQ's", quotient("pipeline.batched.rate", "bullmq.pipeline.rate"), "report", null),
    target("fan-out commit→client p99 (ms)", median("fan-out.latency.p99"), "<=", 25),
    target("fan-out gateway RSS (MB)", median("fan-out.gateway.rss"), "<=", 300),
    target("/readyz during fan-out, slowest (ms)", median("fan-out.readyz.max"), "<", 50),
  ];
}

function target(name: string, value: number, comparison: Target["comparison"], goal: number | null): Target {
  if (!Number.isFinite(value)) return { name, value: null, target: goal, comparison, ratio: null, met: null };
  if (goal === null) return { name, value, target: null, comparison, ratio: value, met: null };
  const met = comparison === ">=" ? value >= goal : comparison === "<=" ? value <= goal : value < goal;
  return { name, value, target: goal, comparison, ratio: value / goal, met };
}
