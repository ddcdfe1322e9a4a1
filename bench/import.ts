// A 200,000-row roster import through both of its entry points (issue 13):
//   npm run build && npm run bench:import [-- --db sqlite|postgresql|all --rows 200000 --port 3292
//                                           --pg-url postgresql://postgres@127.0.0.1:5432/bench_import]
// 1. the command line: `npm run roster:import -- <file>`'s node process, started
//    as npm starts it (bench/proc.ts); its peak RSS is sampled from /proc (VmRSS
//    every 20 ms, then VmHWM), its time is the import's own (printed by the
//    command), the process's wall clock beside it;
// 2. the upload: the production server (node server.js) on the same database,
//    a national coordinator posting the file to /coverage/upload; the time runs
//    from the upload to the import's end, the peak RSS is the server's (VmHWM,
//    reset before the upload).
// The roster tables are emptied between the two. The roster file is the one
// bench/coverage.ts imports (bench/generate-coverage.ts). Aims: PostgreSQL
// ≤ 10 s, SQLite ≤ 8 s, peak RSS ≤ 300 MB. On a shared machine, read the
// figures beside `uptime`'s load (printed first).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { openAsBlob } from "node:fs";
import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { figure } from "./figures";
import { npmScriptNodeArgs } from "./proc";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    rows: { type: "string", default: "200000" },
    port: { type: "string", default: "3292" },
    "pg-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/bench_import" },
  },
});
const rows = Number(values.rows);
const MB = 1e6;
const AIM_SECONDS: Record<string, number> = { sqlite: 8, postgresql: 10 };

if (values.db === "all") {
  // One process per database: the app's modules read DATABASE_URL once.
  for (const db of ["sqlite", "postgresql"]) {
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "bench/import.ts",
        ...process.argv.slice(2).filter((a) => a !== "all" && a !== "--db"),
        "--db",
        db,
      ],
      {
        stdio: "inherit",
      },
    );
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
  process.exit(0);
}
if (!(values.db! in AIM_SECONDS)) throw new Error("--db is sqlite, postgresql or all");
const dialectName = values.db === "sqlite" ? "SQLite" : "PostgreSQL";

const out = path.resolve("bench/out");
const scratch = path.join(out, `import-run-${values.db}`);
await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });
if (values.db === "sqlite") {
  process.env.DATABASE_URL = `file:${path.join(scratch, "bench.db")}`;
} else {
  // The database is made on first use (a fresh machine has only `test`).
  const url = new URL(values["pg-url"]!);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  await admin.connect();
  const name = url.pathname.slice(1);
  if ((await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 0) {
    await admin.query(`CREATE DATABASE "${name}"`);
  }
  await admin.end();
  const client = new pg.Client({ connectionString: values["pg-url"] });
  await client.connect();
  await client.query("DROP SCHEMA IF EXISTS public CASCADE");
  await client.query("CREATE SCHEMA public");
  await client.end();
  process.env.DATABASE_URL = values["pg-url"];
}
process.env.MEDIA_DIR = path.join(scratch, "media");
process.env.NODE_ENV = "production";

const { migrate } = await import("~/utils/migrate.server");
const { seedDemoUsers, seedReferenceData } = await import("~/setup/seed.server");
const { startSession } = await import("~/auth/auth.server");
const { db } = await import("~/utils/db.server");
const gen = await import("./generate-coverage");

console.log(
  `Roster import of ${rows.toLocaleString("en")} rows on ${dialectName}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
await migrate(process.env.DATABASE_URL!);
await seedReferenceData();
await seedDemoUsers();
const file = path.join(scratch, `roster-${rows}.csv`);
await gen.writeRosterCsv(file, { persons: rows, accounts: rows * 5, progress: 0 });

async function procStatus(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(text);
  return match ? Number(match[1]) * 1024 : 0;
}

/** CPU seconds (user + system, all threads) a process has used: less affected by other work on the machine than its wall clock. */
async function cpuSeconds(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
  return fields.length > 13 ? (Number(fields[11]) + Number(fields[12])) / 100 : 0;
}

/** The highest RSS of a process from now on (VmRSS sampled, and VmHWM while the process lives), and the CPU it used meanwhile (to its last sample). */
function peakOf(pid: number, cpuBefore = 0) {
  let peak = 0;
  let cpu = 0;
  const timer = setInterval(() => {
    void Promise.all([procStatus(pid, "VmRSS"), procStatus(pid, "VmHWM"), cpuSeconds(pid)]).then(([rss, hwm, used]) => {
      peak = Math.max(peak, rss, hwm);
      if (used > 0) cpu = used - cpuBefore;
    });
  }, 20);
  return () => {
    clearInterval(timer);
    return { peak, cpu };
  };
}

async function emptyRoster() {
  await db.coverageFact.deleteMany();
  await db.groupMembership.deleteMany();
  await db.rosterPerson.deleteMany();
  await db.agency.deleteMany({ where: { code: { startsWith: "ag-" } } });
}

const report = (path: string, seconds: number, { peak, cpu }: { peak: number; cpu: number }, extra: string) => {
  const on = `${dialectName}, ${rows.toLocaleString("en")} rows, ${path}`;
  figure({
    name: "roster import",
    value: Number(seconds.toFixed(2)),
    unit: "s",
    aim: { max: AIM_SECONDS[values.db!]! },
    on,
  });
  figure({ name: "roster import peak RSS", value: Math.round(peak / MB), unit: "MB", aim: { max: 300 }, on });
  console.log(`  CPU ${cpu.toFixed(1)} s (the process, all threads; the database server's not counted)`);
  console.log(`  ${extra}; load average ${loadavg()[0]!.toFixed(2)}`);
};

// ---------------------------------------------------------------- the command line
{
  const began = performance.now();
  // As `npm run roster:import` runs it, node's flags and all.
  const cli = spawn(process.execPath, [...npmScriptNodeArgs("roster:import"), file], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = peakOf(cli.pid!);
  let stdout = "";
  let stderr = "";
  cli.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  cli.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(cli, "exit")) as [number | null];
  const peak = stop();
  const wall = (performance.now() - began) / 1000;
  if (code !== 0) throw new Error(`the command failed (${code}):\n${stdout}\n${stderr}`);
  const own = /\((\d+(?:\.\d+)?) s\)/.exec(stderr);
  report(
    "command line",
    own ? Number(own[1]) : wall,
    peak,
    `${stdout.trim().split("\n").at(-1)}; the command's wall clock ${wall.toFixed(1)} s`,
  );
}

// ---------------------------------------------------------------- the upload
await emptyRoster();
const coordinator = await db.user.findUniqueOrThrow({ where: { email: "dieuphoi@taphuan.vn" } });
const cookie = (await startSession(coordinator.id)).split(";")[0]!;
const serverLog = path.join(scratch, "server.log");
const logFile = await open(serverLog, "w");
const server: ChildProcess = spawn(process.execPath, ["server.js"], {
  env: { ...process.env, PORT: values.port, SECURE_COOKIES: "false", LOG_LEVEL: "warn" },
  stdio: ["ignore", logFile.fd, logFile.fd],
});
const base = `http://localhost:${values.port}`;
try {
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error("the server exited; run `npm run build` first");
    if (i > 300) throw new Error("the server did not start");
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = server.pid!;
  const atRest = await procStatus(pid, "VmRSS");
  // VmHWM from here on counts the import only (Linux: clear_refs 5 resets the peak).
  await writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => {});
  const stop = peakOf(pid, await cpuSeconds(pid));
  const began = performance.now();
  const form = new FormData();
  form.set("kind", "roster");
  form.set("file", await openAsBlob(file, { type: "text/csv" }), path.basename(file));
  const response = await fetch(`${base}/coverage/upload`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: base, "Sec-Fetch-Site": "same-origin" },
    body: form,
  });
  const answer = (await response.json()) as { ok: boolean; importId?: string };
  const uploaded = performance.now();
  if (!answer.ok || !answer.importId) throw new Error(`upload refused: ${JSON.stringify(answer)}`);
  let record = await db.dataImport.findUniqueOrThrow({ where: { id: answer.importId } });
  while (record.status === "RUNNING") {
    await new Promise((r) => setTimeout(r, 50));
    record = await db.dataImport.findUniqueOrThrow({ where: { id: answer.importId } });
  }
  const seconds = (performance.now() - began) / 1000;
  const peak = stop();
  if (record.status !== "DONE") throw new Error(`the import ended ${record.status}: ${record.message}`);
  report(
    "upload",
    seconds,
    peak,
    `${record.createdRows.toLocaleString("en")} created; upload ${((uploaded - began) / 1000).toFixed(1)} s; server RSS at rest ${(atRest / MB).toFixed(0)} MB`,
  );
} finally {
  server.kill("SIGTERM");
  await once(server, "exit").catch(() => {});
  await db.$disconnect();
  await logFile.close();
}
await rm(scratch, { recursive: true, force: true });
