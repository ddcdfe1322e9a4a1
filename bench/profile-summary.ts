// Self time of a V8 CPU profile (`node --cpu-prof`), grouped by where the code
// lives, busy time only (idle left out):
//   npx tsx bench/profile-summary.ts bench/out/profile/CPU.*.cpuprofile
import { readFileSync } from "node:fs";

type Node = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const GROUPS: [string, RegExp][] = [
  ["Prisma (client, query compiler wasm, adapters)", /@prisma|generated\/prisma|query_compiler|prisma|^wasm:/],
  ["pdf-lib (evaluated as the server starts)", /pdf-lib/],
  ["better-sqlite3", /better-sqlite3/],
  ["pg driver", /node_modules\/pg/],
  ["Kysely (build, compile)", /kysely/],
  [
    "Express and its middleware",
    /express|body-parser|raw-body|compression|send|serve-static|finalhandler|router|on-finished|type-is|content-type|iconv|qs\//,
  ],
  ["pino logging", /pino|sonic-boom|thread-stream/],
  ["zod", /zod/],
  ["Remix", /@remix-run|react-router/],
  ["app (build/server)", /build\/server|server\.js|\/app\//],
  ["Node internals (http, net, streams)", /^node:|^internal\//],
];

function groupOf(node: Node): string {
  const { url, functionName } = node.callFrame;
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "V8 (program)";
  if (functionName === "(idle)") return "(idle)";
  if (!url) return `native: ${functionName || "(anonymous)"}`;
  for (const [name, pattern] of GROUPS) if (pattern.test(url)) return name;
  return "other node_modules";
}

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const loading = new Map<number, boolean>();
  const isLoading = (id: number): boolean => {
    let known = loading.get(id);
    if (known === undefined) {
      const node = byId.get(id)!;
      const up = parent.get(id);
      known = /^node:internal\/modules\//.test(node.callFrame.url) || (up !== undefined && isLoading(up));
      loading.set(id, known);
    }
    return known;
  };
  let startup = 0;
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!)!;
    const us = profile.timeDeltas[i] ?? 0;
    if (isLoading(node.id)) {
      startup += us;
      continue;
    }
    const group = groupOf(node);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/^.*node_modules\//, "")}`;
    if (group !== "(idle)") functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const busy = [...groups].filter(([g]) => g !== "(idle)").reduce((sum, [, us]) => sum + us, 0);
  console.log(
    `${file}: busy ${(busy / 1e6).toFixed(1)} s, idle ${((groups.get("(idle)") ?? 0) / 1e6).toFixed(1)} s, loading modules ${(startup / 1e6).toFixed(1)} s (left out)`,
  );
  const merged = new Map<string, number>();
  for (const [g, us] of groups) {
    if (g === "(idle)") continue;
    const key = g.startsWith("native: ") && us / busy < 0.01 ? "native: other" : g;
    merged.set(key, (merged.get(key) ?? 0) + us);
  }
  console.table(
    [...merged]
      .sort((a, b) => b[1] - a[1])
      .map(([group, us]) => ({ group, "% of busy": +((100 * us) / busy).toFixed(1) })),
  );
  console.table(
    [...functions]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([fn, us]) => ({ function: fn.slice(0, 100), "% of busy": +((100 * us) / busy).toFixed(1) })),
  );
}
