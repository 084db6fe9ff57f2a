import { readFileSync } from "node:fs";

// npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top=N] [--callers=functionName]
// The self time of a V8 CPU profile (node --cpu-prof) by package (node_modules/<name>, the
// project's src/, node's internals, GC, idle) and by function, largest first, in % of the samples.
// With --callers, also that function's self time by the package that called it (its nearest
// caller outside node's internals and native code): who a native write works for, say.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error("usage: npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top=N]");
  process.exit(2);
}
const top = Number(rest.find((arg) => arg.startsWith("--top="))?.slice(6) ?? "25");
const callersOf = rest.find((arg) => arg.startsWith("--callers="))?.slice(10) ?? null;
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

function packageOf({ functionName, url }: ProfileNode["callFrame"]): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1]!;
  if (url.startsWith("node:")) return "node:" + url.slice(5).split("/")[0];
  const project = /\/(src|bench|test)\//.exec(url);
  return project ? `${project[1]}/` : url;
}

const selfByNode = new Map<number, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const delta = Math.max(0, profile.timeDeltas[i] ?? 0);
  selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta);
  total += delta;
});

const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, self] of selfByNode) {
  const frame = byId.get(id)!.callFrame;
  const pkg = packageOf(frame);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + self);
  const where = frame.url ? `${frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(src|bench|test)\//, "$1/")}:${frame.lineNumber + 1}` : "";
  const name = `${frame.functionName || "(anonymous)"} ${where}`.trim();
  byFunction.set(name, (byFunction.get(name) ?? 0) + self);
}

const percent = (value: number) => ((100 * value) / total).toFixed(1).padStart(5);
const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, self] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${percent(self)} %  ${name}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
print("self time by package", byPackage);
print("self time by function", byFunction);

if (callersOf) {
  const byCaller = new Map<string, number>();
  for (const [id, self] of selfByNode) {
    if (byId.get(id)!.callFrame.functionName !== callersOf) continue;
    let caller = parentOf.get(id);
    while (caller !== undefined && /^(node:|\(native\))/.test(packageOf(byId.get(caller)!.callFrame))) caller = parentOf.get(caller);
    const name = caller === undefined ? "(root)" : packageOf(byId.get(caller)!.callFrame);
    byCaller.set(name, (byCaller.get(name) ?? 0) + self);
  }
  print(`self time of ${callersOf} by calling package`, byCaller);
}
