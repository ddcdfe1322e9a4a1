// The coverage dashboard of a national coordinator on past dates, in process
// (no HTTP): counted per date, against the scope's timeline once it is built
// (docs/decisions/142-coverage-timelines.md), and what building it costs.
// Runs on the database bench/reports.ts kept:
//   npx tsx bench/reports.ts --db sqlite --scale 1 --keep   (once: 200,000 people)
//   npx tsx bench/timeline.ts --db sqlite
//   npx tsx bench/timeline.ts --db postgresql   (the database bench_reports on 127.0.0.1)
// Each figure is the median of RUNS (10) dashboards on different days.
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { figure } from "./figures";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    "pg-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/bench_reports" },
  },
});
const RUNS = 10;
const sqliteFile = path.resolve("bench/out/reports-bench.db");
if (values.db === "sqlite" && !existsSync(sqliteFile)) {
  console.error(`No ${sqliteFile}: run npx tsx bench/reports.ts --db sqlite --keep first.`);
  process.exit(1);
}
process.env.DATABASE_URL = values.db === "sqlite" ? `file:${sqliteFile}` : values["pg-url"];

const { coverageDashboard } = await import("~/coverage/dashboard.server");
const { buildTimeline, timelineKeeper, TIMELINE_AFTER_DAYS } = await import("~/coverage/timeline.server");
const { reportCache } = await import("~/coverage/report-cache.server");
const { SYSTEM_ACTOR } = await import("~/coverage/scope.server");
const { closeSql } = await import("~/db/sql.server");
const { parseIsoDay } = await import("~/coverage/dates");

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
const first = parseIsoDay("2023-02-01")!;
const day = (i: number) => first + i * 97;
const on = `${values.db === "sqlite" ? "SQLite" : "PostgreSQL"}, national scope`;

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
const builds: number[] = [];
for (let i = 0; i < 3; i++) builds.push(await timed(() => buildTimeline(SYSTEM_ACTOR)));
const perDate: number[] = [];
for (let i = 0; i < RUNS; i++) {
  // Neither cache may answer: a dashboard counted for its day.
  timelineKeeper().clear();
  reportCache().clear();
  perDate.push(await timed(() => coverageDashboard(SYSTEM_ACTOR, day(i), undefined)));
}
// Asking for a few days builds the timeline; then every other day comes from it.
for (let i = 0; i < TIMELINE_AFTER_DAYS; i++) await coverageDashboard(SYSTEM_ACTOR, day(RUNS + i), undefined);
await timelineKeeper().settled();
const fromTimeline: number[] = [];
for (let i = 0; i < RUNS; i++) {
  fromTimeline.push(await timed(() => coverageDashboard(SYSTEM_ACTOR, day(i) + 1, undefined)));
}
figure({ name: "timeline build", value: median(builds), unit: "ms", aim: null, on });
figure({ name: "dashboard on a past date, counted per date", value: median(perDate), unit: "ms", aim: null, on });
figure({ name: "dashboard on a past date, from the timeline", value: median(fromTimeline), unit: "ms", aim: null, on });
await closeSql();
process.exit(0);
