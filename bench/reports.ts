// Coverage reports beside learners (issue 13), over HTTP against the
// production build:
//   (a) 10 coordinators at once on /coverage (a national one and nine
//       provinces'), each asking for a random as-of date: p50/p95/p99 of
//       reports that are computed, not cached; then the same on today's
//       page, which the report cache answers after the first of each scope;
//   (b) /coverage p95 of two coordinators (random dates) while /api/progress
//       is held at 1,000 req/s (evenly spaced, latency counted from when each
//       report was due), and progress p99 at the same time, after the same
//       progress load alone. Both follow 3 s of the same load whose p99 is
//       printed apart: the progress path's first seconds, not yet optimised.
//       Each load also prints its own event-loop delay: a late generator
//       would be charged to the server.
//
//   npm run build && npm run bench:reports -- --db sqlite --scale 0.1
//   npm run bench:reports -- --db postgresql   (a database bench_reports on 127.0.0.1)
//   --scale 1 = 200,000 roster people; --seconds N per phase (20); --port P (3903);
//   --rate R progress req/s (1000); --reuse: keep the data of an earlier run with --keep;
//   --split (PostgreSQL): /api/progress on a second instance of its own, port P+1.
//   BENCH_SERVER_FLAGS="--trace-gc" passes flags to the server's node; BENCH_SERVER_LOG=file
//   keeps its standard output (pino's lines at LOG_LEVEL=debug, the GC trace); BENCH_TRACE=1
//   prints each progress load's worst latency in every second (is the tail one stall or many?).
//   BENCH_PAGES_NICE=N (with --split) runs the pages instance at nice N, below progress's.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { setPriority } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { figure } from "./figures";
import { createBenchLearners, type BenchLearner } from "./learners";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    scale: { type: "string", default: "1" },
    seconds: { type: "string", default: "20" },
    port: { type: "string", default: "3903" },
    rate: { type: "string", default: "1000" },
    keep: { type: "boolean", default: false },
    reuse: { type: "boolean", default: false },
    split: { type: "boolean", default: false },
    "pg-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/bench_reports" },
  },
});
const scaleFactor = Number(values.scale);
const scale = { persons: Math.round(200_000 * scaleFactor), accounts: 0, progress: 0 };
const SECONDS = Number(values.seconds);
const PORT = Number(values.port);
const RATE = Number(values.rate);
const WARMUP_SECONDS = 3;
const SPLIT = values.split;
if (SPLIT && values.db !== "postgresql") throw new Error("--split runs two app instances: PostgreSQL only");
const PAGES_NICE = process.env.BENCH_PAGES_NICE ? Number(process.env.BENCH_PAGES_NICE) : null;
if (PAGES_NICE !== null && !(Number.isInteger(PAGES_NICE) && PAGES_NICE >= -20 && PAGES_NICE <= 19))
  throw new Error("BENCH_PAGES_NICE is a nice value: a whole number from -20 to 19");
// A thousand reports a second is ten thousand players, each reporting its
// last ten seconds every ten seconds (app/components/lesson-player.tsx), over
// the keep-alive connections of a proxy. Fifty players reporting twenty times
// a second each, as this bench sent before, made fifty lesson views' rows the
// whole load: every report waited for the one before it on the same row.
const PLAYERS = 10_000;
const REPORT_SECONDS = 10;
const CONNECTIONS = 50;
const LESSONS = 10;
const LESSON_SECONDS = 300;
const REPORTS_PER_LESSON = LESSON_SECONDS / REPORT_SECONDS;
const STATE_VERSION = 2;
const out = path.resolve("bench/out");
mkdirSync(out, { recursive: true });
const sqliteFile = path.join(out, "reports-bench.db");
// One per database and size: the sessions it names exist only in the database they were made in.
const stateFile = path.join(out, `reports-bench-${values.db}-${scale.persons}.json`);

const reuse = values.reuse && existsSync(stateFile);
// Making the data anew drops the database: the state kept for any size names sessions gone with it.
if (!reuse)
  for (const name of readdirSync(out))
    if (name.startsWith(`reports-bench-${values.db}-`) && name.endsWith(".json")) rmSync(path.join(out, name));
if (values.db === "sqlite") {
  if (!reuse) for (const suffix of ["", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
  process.env.DATABASE_URL = `file:${sqliteFile}`;
} else {
  const url = new URL(values["pg-url"]!);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  await admin.connect();
  const name = url.pathname.slice(1);
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  if (!reuse) {
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query("DROP SCHEMA IF EXISTS public CASCADE");
    await client.query("CREATE SCHEMA public");
    await client.end();
  }
  process.env.DATABASE_URL = url.toString();
}
process.env.NODE_ENV = "production";
const DATABASE_URL = process.env.DATABASE_URL!;

const { migrate } = await import("~/utils/migrate.server");
const { seedReferenceData } = await import("~/setup/seed.server");
const { getSql, closeSql, fragment } = await import("~/db/sql.server");
const { db } = await import("~/utils/db.server");
const { importNow } = await import("~/coverage/import-jobs.server");
const { SYSTEM_ACTOR } = await import("~/coverage/scope.server");
const { isoOfDay, parseIsoDay, vietnamDay } = await import("~/coverage/dates");
const { createSession, generateSessionToken, SESSION_COOKIE } = await import("~/auth/session.server");
const gen = await import("./generate-coverage");

const log = (line: string) => console.log(line);

// `sent`: reports sent by earlier runs on this data, so a --reuse run's players go on where they were.
type State = { version: number; coordinators: string[]; learners: BenchLearner[]; lessonIds: string[]; sent: number };

async function prepare(): Promise<State> {
  await migrate(DATABASE_URL);
  await seedReferenceData();
  const sql = getSql();
  const started = performance.now();
  await gen.generateCatalog(sql);
  const rosterFile = path.join(out, `reports-roster-${scale.persons}.csv`);
  const trainingFile = path.join(out, `reports-training-${scale.persons}.csv`);
  await gen.writeRosterCsv(rosterFile, scale);
  await gen.writeTrainingCsv(trainingFile, scale, Math.round(scale.persons / 2));
  for (const [kind, file] of [
    ["ROSTER", rosterFile],
    ["TRAINING", trainingFile],
  ] as const) {
    const input = {
      fileName: path.basename(file),
      bytes: readFileSync(file),
      strict: false,
      actor: SYSTEM_ACTOR,
      createdById: null,
    };
    const outcome = await importNow(kind, input);
    if (outcome.failure) throw new Error(`${kind} import failed: ${JSON.stringify(outcome.failure)}`);
    rmSync(file, { force: true });
  }
  log(
    `Roster of ${scale.persons.toLocaleString("en")} people and their trainings imported in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // Coordinators: the national level and the nine provinces with the most people.
  const provinces = await db.province.findMany({
    where: { era: "CURRENT_34" },
    select: { id: true },
    orderBy: { code: "asc" },
  });
  const counts = await db.rosterPerson.groupBy({ by: ["provinceId"], _count: { _all: true } });
  const size = new Map(counts.map((c) => [c.provinceId, c._count._all]));
  const biggest = provinces.sort((a, b) => (size.get(b.id) ?? 0) - (size.get(a.id) ?? 0)).slice(0, 9);
  const coordinators: string[] = [];
  for (const [i, scopeProvinceId] of [null, ...biggest.map((p) => p.id)].entries()) {
    const user = await db.user.create({
      data: {
        email: `coordinator${i}@bench.vn`,
        name: `Coordinator ${i}`,
        passwordHash: "x",
        role: "COORDINATOR",
        scopeProvinceId,
      },
    });
    const token = generateSessionToken();
    await createSession(token, user.id, new Date());
    coordinators.push(token);
  }

  // The players, made as bench/progress.ts makes its learners.
  const { lessonIds, learners } = await createBenchLearners(db, {
    count: PLAYERS,
    lessons: LESSONS,
    lessonSeconds: LESSON_SECONDS,
    prefix: "learner",
  });
  // Statistics for the planner over all of it, the players' rows too. The one
  // run made with them taken before the players (none for ten thousand new
  // sessions and views) fell to half its progress rate.
  await sql.run(fragment`ANALYZE`);
  return { version: STATE_VERSION, coordinators, learners, lessonIds, sent: 0 };
}

const state: State = reuse ? (JSON.parse(readFileSync(stateFile, "utf8")) as State) : await prepare();
if (state.version !== STATE_VERSION)
  throw new Error(`${stateFile} is from an older bench: make the data anew with --keep`);
if (values.keep && !reuse) writeFileSync(stateFile, JSON.stringify(state));
await closeSql();
await db.$disconnect();

function startServer(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // BENCH_PROFILE_DIR: the server runs with `node --cpu-prof` and writes its profile there on exit.
    const dir = process.env.BENCH_PROFILE_DIR;
    const profile = dir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir)}`] : [];
    const child = spawn(
      "node",
      [...profile, ...(process.env.BENCH_SERVER_FLAGS?.split(" ").filter(Boolean) ?? []), "server.js"],
      {
        env: {
          ...process.env,
          DATABASE_URL,
          PORT: String(port),
          NODE_ENV: "production",
          MEDIA_DIR: path.join(out, "reports-media"),
          ...env,
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    child.stdout!.on("data", (chunk: Buffer) => {
      if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, chunk);
      if (/ready/.test(chunk.toString())) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`server.js exited with ${code}`)));
  });
}

const base = `http://127.0.0.1:${PORT}`;
// --split: progress goes to an instance of its own (another port, no job runner), as a
// proxy routing /api/progress to its own upstream would send it; PostgreSQL only.
const progressBase = SPLIT ? `http://127.0.0.1:${PORT + 1}` : base;
const first = parseIsoDay("2023-01-31")!;
const today = vietnamDay(new Date());
const randomDay = () => isoOfDay(first + Math.floor(Math.random() * (today - first)));

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

/** Coordinators asking for /coverage one after another, each on its own, for `seconds`: the latencies. */
async function coordinators(tokens: string[], seconds: number, asOf: () => string | null) {
  const samples: number[] = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    tokens.map(async (token) => {
      while (performance.now() < end) {
        const day = asOf();
        const begin = performance.now();
        const response = await fetch(`${base}/coverage${day ? `?asOf=${day}` : ""}`, {
          headers: { cookie: `${SESSION_COOKIE}=${token}` },
          // A lost session is sent to the login page: a failure, not a fast report.
          redirect: "manual",
        });
        await response.arrayBuffer();
        if (response.status === 200) samples.push(performance.now() - begin);
        else failures++;
      }
    }),
  );
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    n: samples.length,
    failures,
  };
}

/**
 * The report that the n-th request of the progress load sends (counting the
 * reports of earlier runs on the same data): player n mod N, with its next ten
 * seconds of its lesson; after the lesson's end, the next lesson.
 */
function progressReport(n: number) {
  const number = state.sent + n;
  const learner = state.learners[number % state.learners.length]!;
  const report = Math.floor(number / state.learners.length);
  const index = Math.floor(report / REPORTS_PER_LESSON) % state.lessonIds.length;
  const start = (report % REPORTS_PER_LESSON) * REPORT_SECONDS;
  return {
    cookie: `${SESSION_COOKIE}=${learner.token}`,
    body: JSON.stringify({
      viewId: learner.views[index],
      lessonId: state.lessonIds[index],
      intervals: [[start, start + REPORT_SECONDS]],
      position: start + REPORT_SECONDS,
    }),
  };
}

/**
 * Progress reports held at RATE a second for `seconds`, evenly spaced (an open
 * loop, as thousands of players each reporting every ten seconds are), over at
 * most CONNECTIONS keep-alive connections. Each latency counts from when the
 * report was due, so a server that falls behind is charged for the queue too
 * (autocannon's overallRate sends each second's quota in one burst instead).
 * Starting at report `first` continues an earlier load's ranges: each one gains new
 * time, as a player's do, instead of repeating ranges already credited.
 */
async function progressLoad(seconds: number, first = 0) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  const total = Math.floor(seconds * RATE);
  const pending: Promise<void>[] = [];
  const send = (n: number, due: number) =>
    new Promise<void>((resolve) => {
      const { cookie, body } = progressReport(n);
      const request = http.request(
        `${progressBase}/api/progress`,
        { method: "POST", agent, headers: { "content-type": "application/json", cookie } },
        (response) => {
          response.resume();
          response.on("end", () => {
            if (response.statusCode === 200) {
              const latency = performance.now() - due;
              const second = Math.floor((due - started) / 1000);
              latencies.push(latency);
              perSecond[second] = Math.max(perSecond[second] ?? 0, latency);
            } else non2xx++;
            resolve();
          });
        },
      );
      request.on("error", () => {
        errors++;
        resolve();
      });
      request.end(body);
    });
  // The generator's own event loop: a late timer here is charged to the server as latency.
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const cpuBefore = machineCpu();
  const started = performance.now();
  const perSecond: number[] = [];
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
    for (; sent < due; sent++) pending.push(send(first + sent, started + (sent / RATE) * 1000));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  lag.disable();
  const cpuAfter = machineCpu();
  if (process.env.BENCH_TRACE) log(`worst latency per second: ${perSecond.map((v) => v.toFixed(0)).join(" ")}`);
  agent.destroy();
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    non2xx,
    errors,
    lagP99: lag.percentile(99) / 1e6,
    lagMax: lag.max / 1e6,
    // Of all cores: near 100, every process on the machine queues for one.
    machineBusy: (100 * (cpuAfter.busy - cpuBefore.busy)) / Math.max(1, cpuAfter.total - cpuBefore.total),
  };
}

/** The machine's busy and total CPU time so far (/proc/stat, all cores), in ticks. */
function machineCpu(): { busy: number; total: number } {
  const ticks = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - ticks[3]! - ticks[4]!, total }; // idle and iowait are not busy
}

// CPU time of the server process, all its threads (the report readers too), in
// milliseconds: per page it says more than latency on a shared, loaded machine.
function serverCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in ticks of 1/100 s
}

const on = `${values.db === "sqlite" ? "SQLite" : "PostgreSQL"}, ${scale.persons.toLocaleString("en")} people${SPLIT ? ", progress on its own instance" : ""}`;
const server = await startServer(PORT);
if (PAGES_NICE !== null) setPriority(server.pid!, PAGES_NICE);
let progressServer: ChildProcess | null = null;
try {
  if (SPLIT) progressServer = await startServer(PORT + 1, { JOB_RUNNER: "false" });
  // Warm up: the first report of each scope starts the readers and fills the statement caches.
  await coordinators(state.coordinators, 2, randomDay);

  let cpu = serverCpuMs(server.pid!);
  const cold = await coordinators(state.coordinators, SECONDS, randomDay);
  const coldCpu = (serverCpuMs(server.pid!) - cpu) / Math.max(1, cold.n);
  log(`(a) 10 coordinators, random as-of dates: ${cold.n} pages, ${cold.failures} failed`);
  figure({ name: "/coverage p50, 10 coordinators at once", value: cold.p50, unit: "ms", aim: null, on });
  figure({ name: "/coverage p95, 10 coordinators at once", value: cold.p95, unit: "ms", aim: { max: 300 }, on });
  figure({ name: "/coverage p99, 10 coordinators at once", value: cold.p99, unit: "ms", aim: null, on });

  figure({ name: "server CPU per /coverage page, random dates", value: coldCpu, unit: "ms", aim: null, on });

  cpu = serverCpuMs(server.pid!);
  const warm = await coordinators(state.coordinators, SECONDS, () => null);
  figure({
    name: "server CPU per /coverage page, today",
    value: (serverCpuMs(server.pid!) - cpu) / Math.max(1, warm.n),
    unit: "ms",
    aim: null,
    on,
  });
  log(`(a) 10 coordinators, today's page: ${warm.n} pages, ${warm.failures} failed`);
  figure({ name: "/coverage p95, 10 coordinators at once, today", value: warm.p95, unit: "ms", aim: { max: 300 }, on });

  // The progress path's first seconds: its code still runs unoptimised and
  // its keep-alive connections open, so reports queue for a second or two.
  // A server that takes a thousand reports a second is past this for all
  // but its first seconds; the steady figures below start after it, and
  // this one is printed on its own.
  const warmup = await progressLoad(WARMUP_SECONDS);
  log(`(b) progress, its first ${WARMUP_SECONDS} s: p50 ${warmup.p50.toFixed(1)} ms`);
  figure({
    name: `progress p99 in its first ${WARMUP_SECONDS} s`,
    value: warmup.p99,
    unit: "ms",
    aim: null,
    on,
  });

  // The same progress load alone first: what the reports beside it add.
  const alone = await progressLoad(SECONDS, Math.floor(WARMUP_SECONDS * RATE));
  log(
    `(b) progress alone: ${Math.round(alone.rate)} req/s done, p50 ${alone.p50.toFixed(1)} ms; the generator's event-loop delay p99 ${alone.lagP99.toFixed(1)} ms, max ${alone.lagMax.toFixed(1)} ms; the machine's cores ${alone.machineBusy.toFixed(0)}% busy`,
  );
  figure({
    name: `progress p99 at ${RATE} req/s alone`,
    value: alone.p99,
    unit: "ms",
    aim: { max: 50 },
    on,
  });
  const [progress, beside] = await Promise.all([
    progressLoad(SECONDS, Math.floor((WARMUP_SECONDS + SECONDS) * RATE)),
    coordinators(state.coordinators.slice(0, 2), SECONDS, randomDay),
  ]);
  log(
    `(b) progress at ${RATE} req/s asked: ${Math.round(progress.rate)} req/s done, ${progress.non2xx} non-2xx, ${progress.errors} errors; /coverage beside it: ${beside.n} pages, ${beside.failures} failed, p50 ${beside.p50.toFixed(0)} ms; the generator's event-loop delay p99 ${progress.lagP99.toFixed(1)} ms, max ${progress.lagMax.toFixed(1)} ms; the machine's cores ${progress.machineBusy.toFixed(0)}% busy`,
  );
  figure({
    name: `/coverage p95 beside progress at ${RATE} req/s`,
    value: beside.p95,
    unit: "ms",
    aim: { max: 300 },
    on,
  });
  figure({
    name: `progress p99 at ${RATE} req/s beside reports`,
    value: progress.p99,
    unit: "ms",
    aim: { max: 50 },
    on,
  });
  figure({
    name: "progress req/s achieved",
    value: Math.round(progress.rate),
    unit: "req/s",
    aim: { min: RATE * 0.95 },
    on,
  });
  // The data's players go on from here in the next --reuse run.
  if (existsSync(stateFile)) {
    state.sent += Math.floor((WARMUP_SECONDS + 2 * SECONDS) * RATE);
    writeFileSync(stateFile, JSON.stringify(state));
  }
} finally {
  for (const child of [server, progressServer]) {
    if (!child) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}
// A --reuse run keeps the data it reused: its state file still names it.
if (!values.keep && !reuse && values.db === "sqlite")
  for (const suffix of ["", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
process.exit(0);
