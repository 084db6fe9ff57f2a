import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Machine } from "./environment.js";
import type { Metric, Target } from "./targets.js";

export interface Results {
  date: string;
  mode: "full" | "quick";
  runs: number;
  wallSeconds: number;
  /** The machine's 1-minute load average before and after: above its core count, others were running too. */
  loadAverage: { start: number; end: number };
  /** Wall time of each scenario, all its runs (and their set-up) together. */
  scenarioSeconds: Record<string, number>;
  machine: Machine;
  /** How each scenario, and each peer, was set up. */
  settings: Record<string, Record<string, unknown>>;
  metrics: Metric[];
  targets: Target[];
  errors: string[];
}

/** Three significant digits at most, no exponent. */
const show = (value: number | null) => {
  if (value === null || !Number.isFinite(value)) return "-";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toFixed(digits);
};

function columns(rows: string[][], rightAligned: Set<number>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n");
}

export function formatTable(results: Results): string {
  const metrics = columns(
    [["metric", "unit", "median", "min", "max"], ...results.metrics.map((m) => [m.name, m.unit, show(m.median), show(m.min), show(m.max)])],
    new Set([2, 3, 4]),
  );
  const verdict = (t: Target) => (t.met === null ? (t.value === null ? "no data" : "report") : t.met ? "met" : "MISSED");
  const targets = columns(
    [
      ["target", "value", "goal", "ratio", ""],
      ...results.targets.map((t) => [t.name, show(t.value), t.target === null ? "-" : `${t.comparison} ${t.target}`, show(t.ratio), verdict(t)]),
    ],
    new Set([1, 3]),
  );
  const machine = results.machine;
  const load = `load average ${results.loadAverage.start.toFixed(1)} → ${results.loadAverage.end.toFixed(1)}`;
  const header = `${results.date}  ${results.mode}, ${results.runs} run(s) each, ${results.wallSeconds.toFixed(0)} s, ${load}  |  ${machine.cpus} × ${machine.model}, ${machine.memory}, node ${machine.node}, PostgreSQL ${machine.postgres}, RabbitMQ ${machine.rabbitmq}`;
  return [header, "", metrics, "", targets, ...results.errors.map((error) => `ERROR ${error}`)].join("\n");
}

/** Four significant digits (whole numbers above 1,000) so the file stays readable; NaN (no data) becomes null. */
const rounded = (value: number | null) => {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(4));
};

export function writeResults(path: string, results: Results): void {
  const json = {
    ...results,
    wallSeconds: rounded(results.wallSeconds),
    loadAverage: { start: rounded(results.loadAverage.start), end: rounded(results.loadAverage.end) },
    metrics: results.metrics.map((m) => ({ ...m, median: rounded(m.median), min: rounded(m.min), max: rounded(m.max) })),
    targets: results.targets.map((t) => ({ ...t, value: rounded(t.value), ratio: rounded(t.ratio) })),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}
