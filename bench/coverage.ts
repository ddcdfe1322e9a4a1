// Coverage at the planned scale: 200,000 roster persons, 1,000,000 learner
// accounts, 10,000,000 lesson-progress rows, on SQLite or PostgreSQL.
//
//   npx tsx bench/coverage.ts --db sqlite
//   createdb -h 127.0.0.1 -U postgres bench_coverage
//   npx tsx bench/coverage.ts --db postgresql
//   (--scale 0.01 for a quick run; --runs N dashboard loads; --keep to keep the database;
//    --only import: the roster and training imports alone, without accounts, progress and dashboards;
//    --only roster: the roster imports alone)
//
// Prints: the roster import time (200,000 rows through the same code as
// `npm run roster:import`), the dashboard loader's p50/p95 over random as-of
// dates, the same numbers from hand-written SQL on the same tables (the
// floor), the raw-rows query the summary table replaces, and the database size.
import { rmSync, statSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    scale: { type: "string", default: "1" },
    runs: { type: "string", default: "60" },
    keep: { type: "boolean", default: false },
    only: { type: "string", default: "" },
    "pg-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/bench_coverage" },
  },
});
const scaleFactor = Number(values.scale);
const scale = {
  persons: Math.round(200_000 * scaleFactor),
  accounts: Math.round(1_000_000 * scaleFactor),
  progress: Math.round(10_000_000 * scaleFactor),
};
const runs = Number(values.runs);
const out = path.resolve("bench/out");
mkdirSync(out, { recursive: true });
const sqliteFile = path.join(out, "coverage-bench.db");

if (values.db === "sqlite") {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
  process.env.DATABASE_URL = `file:${sqliteFile}`;
} else {
  const url = values["pg-url"]!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("DROP SCHEMA IF EXISTS public CASCADE");
  await client.query("CREATE SCHEMA public");
  await client.end();
  process.env.DATABASE_URL = url;
}
process.env.NODE_ENV = "production";

// App modules read DATABASE_URL when first loaded.
const { migrate } = await import("~/utils/migrate.server");
const { seedReferenceData } = await import("~/setup/seed.server");
const { getSql, closeSql, fragment, num } = await import("~/db/sql.server");
const { db } = await import("~/utils/db.server");
const { importNow } = await import("~/coverage/import-jobs.server");
const { SYSTEM_ACTOR } = await import("~/coverage/scope.server");
const { loadGroups } = await import("~/coverage/report.server");
const { ruleInForce } = await import("~/coverage/rule");
const { parseIsoDay, isoOfDay, vietnamDay } = await import("~/coverage/dates");
const { createSession, generateSessionToken, SESSION_COOKIE } = await import("~/auth/session.server");
const dashboard = await import("~/routes/coverage._index");
const gen = await import("./generate-coverage");

const log = (line: string) => console.log(line);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const ms = (value: number) => `${value.toFixed(1)} ms`;
function percentile(samples: number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

log(
  `Coverage benchmark on ${values.db}: ${scale.persons.toLocaleString("en")} roster persons, ${scale.accounts.toLocaleString("en")} accounts, ${scale.progress.toLocaleString("en")} progress rows`,
);
await migrate(process.env.DATABASE_URL!);
await seedReferenceData();
const sql = getSql();

// ---------------------------------------------------------------- data
const started = performance.now();
const catalog = await gen.generateCatalog(sql);
const importsOnly = values.only === "import" || values.only === "roster";
// The roster import never reads accounts or progress (it links nobody), so
// --only import measures it without generating them.
const learning = importsOnly
  ? { progressRows: 0, completions: 0 }
  : await gen.generateLearning(sql, scale, catalog, log);
log(
  `Generated ${learning.progressRows.toLocaleString("en")} progress rows and ${learning.completions.toLocaleString("en")} course completions in ${seconds(performance.now() - started)}`,
);
const rosterFile = path.join(out, `roster-${scale.persons}.csv`);
const trainingFile = path.join(out, `training-${scale.persons}.csv`);
await gen.writeRosterCsv(rosterFile, scale);
await gen.writeTrainingCsv(trainingFile, scale, Math.round(scale.persons / 2));
log(`Roster file: ${rosterFile} (${(statSync(rosterFile).size / 1e6).toFixed(1)} MB)`);

// ---------------------------------------------------------------- imports
// Peak memory of the process during one import: resident set sampled every
// 20 ms (VmHWM would keep the high-water mark of data generation before it).
const importFile = async (kind: "ROSTER" | "TRAINING", file: string) => {
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const begin = performance.now();
  // CPU time of this process (all its threads): on a shared, loaded machine
  // it says more than the wall clock alone (the database server's is not in it).
  const cpuBefore = process.cpuUsage();
  // Seconds spent in each phase (reading, checking, writing).
  const phases: Record<string, number> = {};
  let phase = "",
    phaseStart = begin;
  const onProgress = (p: { phase: string }) => {
    if (p.phase === phase) return;
    if (phase) phases[phase] = (phases[phase] ?? 0) + (performance.now() - phaseStart) / 1000;
    phase = p.phase;
    phaseStart = performance.now();
  };
  try {
    const outcome = await importNow(
      kind,
      {
        fileName: path.basename(file),
        bytes: readFileSync(file),
        strict: false,
        actor: SYSTEM_ACTOR,
        createdById: null,
      },
      onProgress,
    );
    if (outcome.failure) throw new Error(`${kind} import failed: ${JSON.stringify(outcome.failure)}`);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const split = Object.entries(phases)
      .map(([name, s]) => `${name} ${s.toFixed(1)} s`)
      .join(", ");
    return {
      elapsed: performance.now() - begin,
      outcome,
      peak: `peak RSS ${(peakRss / 1e6).toFixed(0)} MB; CPU ${seconds(cpuMs(process.cpuUsage(cpuBefore)))}; ${split}`,
    };
  } finally {
    clearInterval(sampler);
  }
};
const roster = await importFile("ROSTER", rosterFile);
const linked = await sql.first(
  sql.db
    .selectFrom("RosterPerson")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("userId", "is not", null),
);
const backfilled = await sql.first(sql.db.selectFrom("TrainingRecord").select((eb) => eb.fn.countAll().as("n")));
log(
  `Roster import, ${scale.persons.toLocaleString("en")} rows: ${seconds(roster.elapsed)} (${roster.outcome.counts.created} created, ${roster.outcome.rejected} rejected; ${num(linked?.n).toLocaleString("en")} linked to accounts, ${num(backfilled?.n).toLocaleString("en")} online trainings brought in; ${roster.peak})`,
);
const again = await importFile("ROSTER", rosterFile);
log(
  `Same roster again: ${seconds(again.elapsed)} (${again.outcome.counts.unchanged} unchanged, ${again.outcome.counts.created + again.outcome.counts.updated} written; ${again.peak})`,
);
if (values.only === "roster") {
  await closeSql();
  await db.$disconnect();
  if (!values.keep) {
    rmSync(rosterFile, { force: true });
    rmSync(trainingFile, { force: true });
    if (values.db === "sqlite") for (const suffix of ["", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
  }
  process.exit(0);
}
const training = await importFile("TRAINING", trainingFile);
log(
  `Training import, ${training.outcome.total.toLocaleString("en")} rows: ${seconds(training.elapsed)} (${training.outcome.counts.created} created)`,
);
const facts = await sql.first(sql.db.selectFrom("CoverageFact").select((eb) => eb.fn.countAll().as("n")));
log(`Summary rows (CoverageFact): ${num(facts?.n).toLocaleString("en")}`);
if (importsOnly) {
  await closeSql();
  await db.$disconnect();
  if (!values.keep) {
    for (const file of [rosterFile, trainingFile]) rmSync(file, { force: true });
    if (values.db === "sqlite") for (const suffix of ["", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
  }
  process.exit(0);
}
await sql.run(fragment`ANALYZE`); // fresh statistics, as a running database has

// ---------------------------------------------------------------- dashboard
const user = await db.user.create({
  data: { email: "bench.coordinator@bench.vn", name: "Bench", passwordHash: "x", role: "COORDINATOR" },
});
const token = generateSessionToken();
await createSession(token, user.id);
const cookie = `${SESSION_COOKIE}=${token}`;
const groups = await loadGroups();
const random = gen.prng(99);
const first = parseIsoDay("2023-01-31")!;
const today = vietnamDay(new Date());
const days = Array.from({ length: runs }, () => first + Math.floor(random() * (today - first)));
const groupOf = (i: number) => groups[i % groups.length]!;

async function loadDashboard(day: number, group: string) {
  const request = new Request(`http://localhost/coverage?asOf=${isoOfDay(day)}&group=${group}`, {
    headers: { Cookie: cookie },
  });
  return dashboard.loader({ request, params: {}, context: {} });
}

// The floor: the fewest hand-written queries that give the same numbers
// (the group × province counts, whose sums are the group totals, and the
// month-by-month counts of the chart), sent straight through the driver.
const member = (day: number) =>
  fragment`("joinedDay" IS NULL OR "joinedDay" <= ${day}) AND ("leftDay" IS NULL OR "leftDay" > ${day})`;
const list = (values: readonly string[]) =>
  fragment.join(
    values.map((v) => fragment`${v}`),
    fragment`,`,
  );
async function handWritten(day: number, group: (typeof groups)[number]) {
  const current = groups.map((g) => ruleInForce(g.rules, day).id);
  await sql.all(
    fragment`SELECT "ruleId", "provinceId", COUNT(*), SUM(CASE WHEN "qualifiedDay" <= ${day} THEN 1 ELSE 0 END) FROM "CoverageFact"
      WHERE "ruleId" IN (${list(current)}) AND ${member(day)} GROUP BY "ruleId", "provinceId"`,
  );
  const rules = group.rules.map((r) => r.id);
  await sql.all(
    fragment`SELECT "ruleId", "joinedMonth", "trainedMonth", "leftMonth", COUNT(*) FROM "CoverageFact"
      WHERE "ruleId" IN (${list(rules)}) GROUP BY "ruleId", "joinedMonth", "trainedMonth", "leftMonth"`,
  );
}

// What the summary table replaces: the group × province counts for one day
// straight from memberships and training records (the default rule), with no
// chart at all.
async function rawRows(day: number) {
  const d = new Date(day * 86_400_000);
  const start = new Date(Date.UTC(2023, 0, 1));
  await sql.all(
    fragment`SELECT m."groupId", p."provinceId", COUNT(*),
            SUM(CASE WHEN EXISTS (SELECT 1 FROM "TrainingRecord" t WHERE t."personId" = m."personId" AND t."completedOn" >= ${start} AND t."completedOn" <= ${d}) THEN 1 ELSE 0 END)
       FROM "GroupMembership" m JOIN "RosterPerson" p ON p."id" = m."personId"
      WHERE (m."joinedOn" IS NULL OR m."joinedOn" <= ${d}) AND (m."leftOn" IS NULL OR m."leftOn" > ${d})
      GROUP BY m."groupId", p."provinceId"`,
  );
}

async function measure(name: string, fn: (i: number) => Promise<unknown>, count = runs) {
  for (let i = 0; i < 3; i++) await fn(i); // warm caches and prepared statements
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const begin = performance.now();
    await fn(i);
    samples.push(performance.now() - begin);
  }
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  log(`${name.padEnd(44)} p50 ${ms(p50).padStart(9)}   p95 ${ms(p95).padStart(9)}   (${count} runs)`);
  return { p50, p95 };
}

log("");
const loader = await measure("Dashboard loader (national)", (i) =>
  loadDashboard(days[i % days.length]!, groupOf(i).code),
);
const floor = await measure("Hand-written SQL, same numbers (floor)", (i) =>
  handWritten(days[i % days.length]!, groupOf(i)),
);
log(`Loader / floor: p50 ${(loader.p50 / floor.p50).toFixed(2)}x, p95 ${(loader.p95 / floor.p95).toFixed(2)}x`);
const provincial = await db.user.create({
  data: {
    email: "bench.hanoi@bench.vn",
    name: "Bench HN",
    passwordHash: "x",
    role: "COORDINATOR",
    scopeProvinceId: (await db.province.findUniqueOrThrow({ where: { code: "cur-ha-noi" } })).id,
  },
});
const hanoiToken = generateSessionToken();
await createSession(hanoiToken, provincial.id);
await measure("Dashboard loader (Hà Nội coordinator)", async (i) => {
  const request = new Request(`http://localhost/coverage?asOf=${isoOfDay(days[i % days.length]!)}`, {
    headers: { Cookie: `${SESSION_COOKIE}=${hanoiToken}` },
  });
  return dashboard.loader({ request, params: {}, context: {} });
});
await measure(
  "Raw rows, group × province only (no summary)",
  (i) => rawRows(days[i % days.length]!),
  Math.min(runs, 10),
);

// ---------------------------------------------------------------- size
if (sql.dialect === "postgresql") {
  const row = await sql.first(fragment<{ size: unknown }>`SELECT pg_database_size(current_database()) AS "size"`);
  const summary = await sql.first(
    fragment<{ size: unknown }>`SELECT pg_total_relation_size('"CoverageFact"') AS "size"`,
  );
  log(
    `Database size: ${(num(row?.size) / 1e9).toFixed(2)} GB (summary table with its indexes: ${(num(summary?.size) / 1e6).toFixed(0)} MB)`,
  );
}
await closeSql();
await db.$disconnect();
if (values.db === "sqlite") {
  // The last connection to close folds the write-ahead log into the file.
  const size = statSync(sqliteFile).size + (existsSync(`${sqliteFile}-wal`) ? statSync(`${sqliteFile}-wal`).size : 0);
  log(`Database size: ${(size / 1e9).toFixed(2)} GB (${sqliteFile})`);
}
if (!values.keep) {
  for (const file of [rosterFile, trainingFile]) rmSync(file, { force: true });
  if (values.db === "sqlite") for (const suffix of ["", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
}
