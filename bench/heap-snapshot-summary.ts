import { parseSnapshotFromFile, type Node } from "v8-heapsnapshot";

// npx tsx bench/heap-snapshot-summary.ts <file.heapsnapshot> [--top=N]
// What a V8 heap snapshot (BENCH_HEAP_SNAPSHOT_DIR, or node --heapsnapshot-signal) holds: self size
// and count by what each object is (an object's constructor, "(string)", "(closure) name", "(array)",
// "(code)", …), largest first. Self sizes only: what each object takes itself, not what it keeps alive.

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error("usage: npx tsx bench/heap-snapshot-summary.ts <file.heapsnapshot> [--top=N]");
  process.exit(2);
}
const top = Number(rest.find((arg) => arg.startsWith("--top="))?.slice(6) ?? "30");
const snapshot = await parseSnapshotFromFile(file);

function kindOf(node: Node): string {
  switch (node.type) {
    case "object":
    case "native":
      return node.name.split(" ")[0] || `(${node.type})`;
    case "closure":
      return `(closure) ${node.name || "anonymous"}`;
    case "string":
    case "concatenated string":
    case "sliced string":
      return "(string)";
    default:
      return `(${node.type}) ${node.type === "hidden" || node.type === "synthetic" || node.type === "array" ? node.name : ""}`.trim();
  }
}

const byKind = new Map<string, { bytes: number; count: number }>();
let total = 0;
for (const node of snapshot.nodes) {
  const kind = kindOf(node);
  const entry = byKind.get(kind) ?? { bytes: 0, count: 0 };
  entry.bytes += node.self_size;
  entry.count += 1;
  byKind.set(kind, entry);
  total += node.self_size;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
console.log(`${snapshot.nodes.length} objects, ${mb(total)} MB of self size`);
console.log("| what | MB | % | count |\n| --- | --- | --- | --- |");
for (const [kind, { bytes, count }] of [...byKind].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top)) {
  console.log(`| ${kind.replaceAll("|", "\\|")} | ${mb(bytes)} | ${((bytes / total) * 100).toFixed(1)} | ${count} |`);
}
