// Every figure of issue 13 in one run, each beside its aim (bench/figures.ts):
//   npm run build && npm run bench
//   npm run bench -- --only progress,pages     some of them
//   npm run bench -- --scale 0.1               smaller datasets for reports and imports
// The benches run one after the other, each in its own process, and write
// their figures to one file; the table at the end gathers them. PostgreSQL
// benches use the server on 127.0.0.1:5432 (trust auth), each in a database of
// its own. Figures are only worth reading on a quiet machine: the load average
// is printed before and after.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { aimText, meets, type Figure } from "./figures";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    scale: { type: "string", default: "1" },
  },
});

const importRows = String(Math.max(1_000, Math.round(200_000 * Number(values.scale))));

type Step = { name: string; script: string; args?: string[]; env?: Record<string, string> };

const STEPS: Step[] = [
  { name: "progress-sqlite", script: "bench/progress.ts" },
  { name: "progress-postgresql", script: "bench/progress.ts", env: { BENCH_DB: "postgresql" } },
  { name: "pages", script: "bench/pages.ts" },
  { name: "playable", script: "bench/playable.ts" },
  { name: "reports-sqlite", script: "bench/reports.ts", args: ["--db", "sqlite", "--scale", values.scale] },
  { name: "reports-postgresql", script: "bench/reports.ts", args: ["--db", "postgresql", "--scale", values.scale] },
  { name: "import-sqlite", script: "bench/import.ts", args: ["--db", "sqlite", "--rows", importRows] },
  { name: "import-postgresql", script: "bench/import.ts", args: ["--db", "postgresql", "--rows", importRows] },
  { name: "import-floor", script: "bench/import-floor.ts", args: ["--rows", importRows] },
];

const only = values.only?.split(",").map((s) => s.trim());
const unknown = only?.filter((name) => !STEPS.some((s) => s.name.startsWith(name)));
if (unknown?.length) {
  console.error(`Unknown bench: ${unknown.join(", ")}. Known: ${STEPS.map((s) => s.name).join(", ")}`);
  process.exit(2);
}
if (!existsSync("build/server/index.js")) {
  console.error("No production build: run `npm run build` first.");
  process.exit(2);
}
const steps = only ? STEPS.filter((s) => only.some((name) => s.name.startsWith(name))) : STEPS;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const dir = mkdtempSync(path.join(tmpdir(), "bench-"));
const file = path.join(dir, "figures.jsonl");
console.log(`Load average before: ${load()}`);

const failed: string[] = [];
for (const step of steps) {
  console.log(`\n▶ ${step.name}: tsx ${[step.script, ...(step.args ?? [])].join(" ")}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", step.script, ...(step.args ?? [])], {
    stdio: "inherit",
    env: { ...process.env, ...step.env, BENCH_FIGURES: file },
  });
  console.log(
    `  ${step.name}: ${((Date.now() - started) / 1000).toFixed(0)} s, exit ${result.status ?? result.signal}`,
  );
  if (result.status !== 0) failed.push(step.name);
}

const figures: Figure[] = existsSync(file)
  ? readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Figure)
  : [];
rmSync(dir, { recursive: true, force: true });

console.log(`\nLoad average after: ${load()}\n`);
console.table(
  figures.map((f) => {
    const verdict = meets(f);
    return {
      figure: f.name,
      on: f.on ?? "",
      value: `${Number.isInteger(f.value) ? f.value : f.value.toFixed(2)} ${f.unit}`.trim(),
      aim: aimText(f.aim),
      met: verdict === null ? "" : verdict ? "yes" : "NO",
    };
  }),
);
const missed = figures.filter((f) => meets(f) === false).length;
const withAims = figures.filter((f) => meets(f) !== null).length;
console.log(`${withAims - missed} of ${withAims} aims met.`);
if (failed.length) {
  console.error(`Benches that failed: ${failed.join(", ")}`);
  process.exit(1);
}
