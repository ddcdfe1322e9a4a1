// Drives the progress endpoint with autocannon (50 connections, 20 s) against
// the production build on SQLite (WAL), then the same load against a bare
// node:http + better-sqlite3 handler doing the same upsert (the floor).
// Prints req/s, p50/p99 latency, acknowledged vs stored reports, and the ratio.
//   npm run build && npm run bench:progress
// BENCH_DB=postgresql: the app on PostgreSQL (a database bench_progress on
// 127.0.0.1, made again each run), its CPU per report counted in the app's
// process and in the PostgreSQL backends serving it; there is no floor there.
// BENCH_CONNECTIONS, BENCH_SECONDS: the load. BENCH_PROFILE_DIR: the app server
// runs with `node --cpu-prof` and writes its profile there on exit
// (summarise with `npx tsx bench/profile-summary.ts <file>.cpuprofile`).
// Each report adds a distinct half-second range, so every acknowledged report
// can be checked against the database afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { figure } from "./figures";
import pg from "pg";
import { cpuMs, postgresBackendsCpuMs } from "./proc";
import { createBenchLearners } from "./learners";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_SECONDS ?? 20);
const LESSONS = 40;
const LESSON_SECONDS = 300;
const SLOTS_PER_LESSON = LESSON_SECONDS * 2 - 1; // [k/2, k/2 + 0.5]
const out = path.resolve("bench/out");
const dbFile = path.join(out, "progress.db");
const POSTGRES = process.env.BENCH_DB === "postgresql";
const PG_DATABASE = "bench_progress";
const DATABASE_URL = POSTGRES ? `postgresql://postgres@127.0.0.1:5432/${PG_DATABASE}` : `file:${dbFile}`;
// The app's modules read DATABASE_URL when first imported.
process.env.DATABASE_URL = DATABASE_URL;
const { seedReferenceData } = await import("~/setup/seed.server");
const { createDb } = await import("~/utils/db.server");
const { migrate } = await import("~/utils/migrate.server");
const { parseIntervals } = await import("~/learning/progress.server");

async function prepare() {
  // Only this bench's own files: bench/out also holds other benches' data kept with --keep.
  mkdirSync(out, { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  rmSync(path.join(out, "media"), { recursive: true, force: true });
  if (POSTGRES) {
    const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${PG_DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${PG_DATABASE}"`);
    await admin.end();
  }
  await migrate(DATABASE_URL);
  await seedReferenceData();
  const db = createDb(DATABASE_URL);
  const { lessonIds, learners } = await createBenchLearners(db, {
    count: CONNECTIONS,
    lessons: LESSONS,
    lessonSeconds: LESSON_SECONDS,
    prefix: "bench",
  });
  await db.$disconnect();
  return { lessonIds, users: learners };
}

function start(command: string[], port: number, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      env: {
        ...process.env,
        DATABASE_URL,
        PORT: String(port),
        NODE_ENV: "production",
        MEDIA_DIR: path.join(out, "media"),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      if (ready.test(chunk.toString())) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`${command.join(" ")} exited with ${code}`)));
  });
}

type Ack = { user: number; slot: number };
// autocannon's context lives for one request cycle: it carries the report's
// number from setupRequest to onResponse. Report g goes to learner g mod N.
type ClientContext = { user: number; slot: number };

/**
 * Transactions committed in the bench's PostgreSQL database so far: reports
 * whose writes went out together share one (the credit batches of decision
 * 107). The statistics reach the view within a second of a backend going idle.
 */
async function commits(): Promise<number> {
  if (!POSTGRES) return 0;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const { rows } = await client.query<{ n: string }>(
      "SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1",
      [PG_DATABASE],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

async function load(
  server: ChildProcess,
  port: number,
  lessonIds: string[],
  users: { token: string; views: string[] }[],
) {
  const acked: Ack[] = [];
  const commitsBefore = await commits();
  const appBefore = cpuMs(server.pid!);
  const backendsBefore = POSTGRES ? postgresBackendsCpuMs(PG_DATABASE) : 0;
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: "POST",
        path: "/api/progress",
        setupRequest(request, raw) {
          const context = raw as ClientContext;
          const g = next++;
          context.user = g % users.length;
          context.slot = Math.floor(g / users.length);
          const slot = context.slot;
          const index = Math.floor(slot / SLOTS_PER_LESSON) % lessonIds.length;
          const start = (slot % SLOTS_PER_LESSON) / 2;
          const user = users[context.user]!;
          return {
            ...request,
            headers: { ...request.headers, "content-type": "application/json", cookie: `th_session=${user.token}` },
            body: JSON.stringify({
              viewId: user.views[index],
              lessonId: lessonIds[index],
              intervals: [[start, start + 0.5]],
              position: start + 0.5,
            }),
          };
        },
        onResponse(status, _body, raw) {
          const context = raw as ClientContext;
          if (status >= 200 && status < 300) acked.push({ user: context.user, slot: context.slot });
        },
      },
    ],
  });
  // The server's CPU per answered request: less sensitive than req/s to other
  // work on the machine (autocannon itself shares the two cores).
  const appCpu = (cpuMs(server.pid!) - appBefore) / result.requests.total;
  const backendsCpu = POSTGRES ? (postgresBackendsCpuMs(PG_DATABASE) - backendsBefore) / result.requests.total : 0;
  const cpuPerRequest = appCpu + backendsCpu;
  const commitsPerRequest = POSTGRES ? ((await commits()) - commitsBefore) / result.requests.total : 0;
  return { result, acked, cpuPerRequest, appCpu, backendsCpu, commitsPerRequest };
}

/** Reports that were acknowledged but whose range is not in the database. */
async function lost(acked: Ack[], lessonIds: string[]) {
  const db = createDb(DATABASE_URL);
  const rows = await db.lessonProgress.findMany({
    select: { watchedIntervals: true, watchedSeconds: true, lessonId: true, user: { select: { email: true } } },
  });
  await db.$disconnect();
  const stored = new Map(rows.map((r) => [`${r.user.email}|${r.lessonId}`, parseIntervals(r.watchedIntervals)]));
  let missing = 0;
  for (const { user, slot } of acked) {
    const lesson = lessonIds[Math.floor(slot / SLOTS_PER_LESSON) % lessonIds.length]!;
    const start = (slot % SLOTS_PER_LESSON) / 2;
    const ranges = stored.get(`bench${user}@example.vn|${lesson}`) ?? [];
    if (!ranges.some(([s, e]) => s <= start && e >= start + 0.5)) missing++;
  }
  const storedReports = rows.reduce((sum, r) => sum + Math.round(r.watchedSeconds * 2), 0);
  return { missing, storedReports };
}

async function clearProgress() {
  const db = createDb(DATABASE_URL);
  await db.lessonProgress.deleteMany();
  await db.watchClock.deleteMany();
  await db.$disconnect();
}

function row(name: string, r: autocannon.Result, cpu: number, acked: number, stored: number, missing: number) {
  return {
    server: name,
    "req/s": Math.round(r.requests.average),
    "CPU ms/req": Number(cpu.toFixed(3)),
    "p50 ms": r.latency.p50,
    "p99 ms": r.latency.p99,
    "2xx": r["2xx"],
    "non-2xx": r.non2xx,
    errors: r.errors,
    acknowledged: acked,
    "ranges stored": stored,
    "acknowledged lost": missing,
  };
}

const { lessonIds, users } = await prepare();
console.log(
  `Progress endpoint: ${CONNECTIONS} connections, ${DURATION} s, ${POSTGRES ? `PostgreSQL (${PG_DATABASE})` : `SQLite WAL (${dbFile})`}`,
);

const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const profile = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`] : [];
const app = await start(["node", ...profile, "server.js"], 3901, /ready/);
const appRun = await load(app, 3901, lessonIds, users);
const appExited = new Promise((resolve) => app.once("exit", resolve));
app.kill("SIGTERM");
await appExited; // the profile is written as it exits
const appCheck = await lost(appRun.acked, lessonIds);

const on = `${POSTGRES ? "PostgreSQL" : "SQLite"}, ${CONNECTIONS} connections`;
if (POSTGRES) {
  console.table([
    row("app", appRun.result, appRun.cpuPerRequest, appRun.acked.length, appCheck.storedReports, appCheck.missing),
  ]);
  figure({ name: "progress req/s", value: Math.round(appRun.result.requests.average), unit: "req/s", aim: null, on });
  figure({
    name: "progress CPU per report (app + PostgreSQL backends)",
    value: appRun.cpuPerRequest,
    unit: `ms (${appRun.appCpu.toFixed(3)} + ${appRun.backendsCpu.toFixed(3)})`,
    aim: null,
    on,
  });
  // Every transaction in the database while the load ran, the reads' included.
  figure({
    name: "PostgreSQL commits per report",
    value: Number(appRun.commitsPerRequest.toFixed(2)),
    unit: "",
    aim: null,
    on,
  });
} else {
  await clearProgress();
  const floor = await start([process.execPath, "--import", "tsx", "bench/floor-server.ts"], 3902, /floor ready/);
  const floorRun = await load(floor, 3902, lessonIds, users);
  floor.kill("SIGTERM");
  const floorCheck = await lost(floorRun.acked, lessonIds);
  console.table([
    row("app", appRun.result, appRun.cpuPerRequest, appRun.acked.length, appCheck.storedReports, appCheck.missing),
    row(
      "floor (node:http + better-sqlite3)",
      floorRun.result,
      floorRun.cpuPerRequest,
      floorRun.acked.length,
      floorCheck.storedReports,
      floorCheck.missing,
    ),
  ]);
  const ratio = appRun.result.requests.average / floorRun.result.requests.average;
  figure({ name: "progress req/s", value: Math.round(appRun.result.requests.average), unit: "req/s", aim: null, on });
  figure({
    name: "progress floor req/s",
    value: Math.round(floorRun.result.requests.average),
    unit: "req/s",
    aim: null,
    on,
  });
  figure({ name: "progress ratio app/floor", value: ratio, unit: "×", aim: { min: 0.5 }, on });
  figure({
    name: "progress server CPU per report (app / floor)",
    value: appRun.cpuPerRequest / floorRun.cpuPerRequest,
    unit: `× (${appRun.cpuPerRequest.toFixed(3)} / ${floorRun.cpuPerRequest.toFixed(3)} ms)`,
    aim: null,
    on,
  });
}
figure({ name: "progress p99", value: appRun.result.latency.p99, unit: "ms", aim: { max: 50 }, on });
figure({ name: "progress acknowledged reports lost", value: appCheck.missing, unit: "", aim: { max: 0 }, on });
process.exit(0);
