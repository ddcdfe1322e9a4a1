import { readFile } from "node:fs/promises";
process.env.DATABASE_URL = "file:/work/wt/imprej/bench/out/lag/lag.db";
process.env.MEDIA_DIR = "/work/wt/imprej/bench/out/lag/media";
const { migrate } = await import("~/utils/migrate.server");
const { seedReferenceData } = await import("~/setup/seed.server");
const { importNow } = await import("~/coverage/import-jobs.server");
const { SYSTEM_ACTOR } = await import("~/coverage/scope.server");
await migrate(process.env.DATABASE_URL);
await seedReferenceData();
const file = process.argv[2]!;
const bytes = await readFile(file);
let phase = "start";
let last = performance.now();
const stalls: Record<string, { n: number; max: number; total: number }> = {};
const timer = setInterval(() => {
  const now = performance.now();
  const lag = now - last - 10;
  last = now;
  if (lag > 50) {
    const s = (stalls[phase] ??= { n: 0, max: 0, total: 0 });
    s.n++; s.max = Math.max(s.max, lag); s.total += lag;
  }
}, 10);
const began = performance.now();
const outcome = await importNow("ROSTER", { fileName: "x.csv", bytes, strict: false, actor: SYSTEM_ACTOR, createdById: null }, (p) => {
  if (p.phase !== phase) { console.log(`${((performance.now() - began) / 1000).toFixed(1)}s → ${p.phase}`); phase = p.phase; }
});
clearInterval(timer);
console.log(outcome.status, outcome.accepted, outcome.rejected, ((performance.now() - began) / 1000).toFixed(1), "s");
console.log(stalls);
console.log("rss", (process.memoryUsage().rss / 1048576).toFixed(0));
