// Imports that must not hurt the server (issue 9):
//   npm run build && npm run bench:import-hostile [-- --mb 50 --probes-per-second 10]
// Starts the production server (node server.js) on a scratch SQLite database
// and media folder. A signed-in learner asks for the catalog page at a steady
// rate the whole time; meanwhile a coordinator uploads, one after the other:
//   1. a CSV of --mb megabytes whose every row is rejected (unknown province);
//   2. a CSV of --mb megabytes of valid roster rows (about 450,000 people at 50 MB);
//   3. an XLSX zip bomb (about 1.2 MB that inflates to 1.2 GB of sheet XML) whose
//      zip headers tell the truth, then one whose headers lie (claim 1 KB).
// For each: upload and import wall time, the probes' p50/p99/max latency
// while it ran, the server's peak RSS (VmRSS sampled every 50 ms; VmHWM),
// and the largest stored reject page. Goal: p99 ≤ 100 ms, RSS < 300 MB.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, openAsBlob } from "node:fs";
import { mkdir, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const FILE_MB = option("mb", 50);
const PROBES_PER_SECOND = option("probes-per-second", 10);
const PORT = option("port", 3291);
const MB = 1024 * 1024;

const out = path.resolve("bench/out");
const scratch = path.join(out, "import-hostile-run");
process.env.DATABASE_URL = `file:${path.join(scratch, "bench.db")}`;
process.env.MEDIA_DIR = path.join(scratch, "media");
process.env.NODE_ENV = "production";

const HEADER = "personnel_code,full_name,email,agency,province,target_groups,position,joined_on,left_on";
const PROVINCES = ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Nghệ An", "Thanh Hóa", "Huế"];
const AGENCIES = ["Bộ Tư pháp", "Bộ Ngoại giao", "Sở Tư pháp Hà Nội", "Sở Tư pháp Đà Nẵng", "Bộ Công an"];

/** Writes a roster CSV of about `mb` megabytes; `bad` rows all name a province that does not exist. */
async function writeRoster(file: string, mb: number, bad: boolean): Promise<number> {
  const stream = createWriteStream(file);
  let bytes = 0;
  let rows = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, "drain");
  };
  await write(`${HEADER}\n`);
  while (bytes < mb * MB) {
    const lines: string[] = [];
    for (let k = 0; k < 1000; k++, rows++) {
      const province = bad ? `Atlantis ${rows % 97}` : PROVINCES[rows % PROVINCES.length];
      lines.push(
        `BENCH-${String(rows).padStart(7, "0")},Nguyễn Văn Số ${rows},nguoi${rows}@example.vn,${AGENCIES[rows % AGENCIES.length]},${province},HR_WORK,Chuyên viên,2020-01-${String((rows % 28) + 1).padStart(2, "0")},`,
      );
    }
    await write(`${lines.join("\n")}\n`);
  }
  stream.end();
  await once(stream, "finish");
  return rows;
}

async function procStatus(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(text);
  return match ? Number(match[1]) * 1024 : 0;
}

async function waitForServer(url: string, server: ChildProcess) {
  for (let i = 0; i < 150; i++) {
    if (server.exitCode !== null) throw new Error("the server exited; run `npm run build` first");
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the server did not start");
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;

/** Asks for `url` every 1/rate seconds, without waiting for the previous answer; stop() returns the latencies. */
function probe(url: string, cookie: string, rate: number, phaseNow: () => string = () => "") {
  const latencies: number[] = [];
  const byPhase = new Map<string, number[]>();
  let failures = 0;
  const reasons = new Set<string>();
  const pending = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const began = performance.now();
    const phase = phaseNow();
    const request = fetch(url, { headers: { Cookie: cookie } })
      .then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) {
          failures++;
          reasons.add(`HTTP ${response.status}`);
        }
        latencies.push(performance.now() - began);
        byPhase.set(phase, [...(byPhase.get(phase) ?? []), performance.now() - began]);
      })
      .catch((error: Error) => {
        failures++;
        reasons.add(String(error.cause ?? error.message));
      })
      .finally(() => pending.delete(request));
    pending.add(request);
  }, 1000 / rate);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      const sorted = [...latencies].sort((a, b) => a - b);
      const phases = [...byPhase].map(([phase, list]) => {
        const s = list.sort((a, b) => a - b);
        return `${phase || "?"} ${s.length}: p50 ${percentile(s, 50).toFixed(0)} / p99 ${percentile(s, 99).toFixed(0)} / max ${(s.at(-1) ?? 0).toFixed(0)} ms`;
      });
      return {
        count: sorted.length,
        failures: failures ? `${failures} failed: ${[...reasons].join(", ")}` : "0 failed",
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? 0,
        phases,
      };
    },
  };
}

function rssSampler(pid: number) {
  let peak = 0;
  const timer = setInterval(() => void procStatus(pid, "VmRSS").then((rss) => (peak = Math.max(peak, rss))), 50);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });

// The bombs first: V8 keeps the heap a big import grew, so a bomb measured
// after one would show that import's memory, not its own.
const files: Record<string, string> = {};
const rowCounts: Record<string, number> = {};
const { makeXlsxBomb } = await import("../tests/helpers/zip");
for (const lie of [false, true]) {
  const name = lie ? "bomb-lying" : "bomb-honest";
  files[name] = path.join(out, `hostile-${name}.xlsx`);
  await writeFile(files[name]!, await makeXlsxBomb(HEADER.split(","), 1200, { lie }));
  rowCounts[name] = 0;
}
for (const name of ["rejected", "valid"]) {
  const file = (files[name] = path.join(out, `hostile-${name}-${FILE_MB}mb.csv`));
  console.log(`Generating ${path.relative(process.cwd(), file)} (${FILE_MB} MB)…`);
  rowCounts[name] = await writeRoster(file, FILE_MB, name === "rejected");
}
const TITLES: Record<string, string> = {
  rejected: "Every row rejected",
  valid: "Valid rows",
  "bomb-honest": "XLSX zip bomb, honest headers",
  "bomb-lying": "XLSX zip bomb, lying headers",
};

// Database, demo accounts and a published course for the catalog, with the app's own code.
const { migrate } = await import("~/utils/migrate.server");
const { seedDemoUsers, seedReferenceData } = await import("~/setup/seed.server");
const { startSession } = await import("~/auth/auth.server");
const { db } = await import("~/utils/db.server");
await migrate(process.env.DATABASE_URL);
await seedReferenceData();
await seedDemoUsers();
const convention = await db.convention.findFirstOrThrow();
for (let c = 0; c < 6; c++) {
  await db.course.create({
    data: {
      code: `bench-${c}`,
      conventionId: convention.id,
      language: "vi",
      title: `Khoá học ${c}`,
      summary: "Bench",
      status: "PUBLISHED",
      lessons: {
        create: Array.from({ length: 5 }, (_, i) => ({
          slug: `l${i}`,
          position: i,
          title: `Bài ${i}`,
          language: "vi",
          durationSeconds: 240,
        })),
      },
    },
  });
}
const learner = await db.user.findUniqueOrThrow({ where: { email: "hocvien@taphuan.vn" } });
const coordinator = await db.user.findUniqueOrThrow({ where: { email: "dieuphoi@taphuan.vn" } });
const learnerCookie = (await startSession(learner.id)).split(";")[0]!;
const coordinatorCookie = (await startSession(coordinator.id)).split(";")[0]!;

// The server's log (warnings and errors) goes to bench/out/import-hostile-server.log.
const serverLog = path.join(out, "import-hostile-server.log");
const logFile = await open(serverLog, "w");
const server = spawn(process.execPath, ["server.js"], {
  env: { ...process.env, PORT: String(PORT), SECURE_COOKIES: "false", LOG_LEVEL: "warn" },
  stdio: ["ignore", logFile.fd, logFile.fd],
});
const base = `http://localhost:${PORT}`;
const report: string[] = [];
try {
  await waitForServer(`${base}/healthz`, server);
  const pid = server.pid!;
  console.log(`Server ready (pid ${pid}), RSS at rest ${((await procStatus(pid, "VmRSS")) / MB).toFixed(0)} MB.`);

  const idle = probe(`${base}/`, learnerCookie, PROBES_PER_SECOND);
  await new Promise((r) => setTimeout(r, 3000));
  const idleStats = await idle.stop();
  report.push(
    `Catalog page at rest: p50 ${idleStats.p50.toFixed(0)} ms, p99 ${idleStats.p99.toFixed(0)} ms, max ${idleStats.max.toFixed(0)} ms (${idleStats.count} probes)`,
  );

  for (const [name, file] of Object.entries(files)) {
    // VmHWM from here on counts this scenario only (Linux: clear_refs 5 resets the peak).
    await writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => {});
    const rssBefore = await procStatus(pid, "VmRSS");
    const rss = rssSampler(pid);
    // The import's phase (the job's progress) when each probe is sent: the latencies are reported per phase too.
    let phase = "upload";
    const probes = probe(`${base}/`, learnerCookie, PROBES_PER_SECOND, () => phase);
    const began = performance.now();
    const form = new FormData();
    form.set("kind", "roster");
    const type = file.endsWith(".xlsx")
      ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
      : "text/csv";
    form.set("file", await openAsBlob(file, { type }), path.basename(file));
    const response = await fetch(`${base}/coverage/upload`, {
      method: "POST",
      headers: { Cookie: coordinatorCookie, Origin: base, "Sec-Fetch-Site": "same-origin" },
      body: form,
    });
    const answer = (await response.json()) as { ok: boolean; importId?: string };
    const uploaded = performance.now();
    if (!answer.ok || !answer.importId) throw new Error(`upload refused: ${JSON.stringify(answer)}`);
    let record = await db.dataImport.findUniqueOrThrow({ where: { id: answer.importId } });
    while (record.status === "RUNNING") {
      await new Promise((r) => setTimeout(r, 100));
      record = await db.dataImport.findUniqueOrThrow({ where: { id: answer.importId } });
      const job = record.jobId
        ? await db.job.findUnique({ where: { id: record.jobId }, select: { progressPhase: true } })
        : null;
      phase = job?.progressPhase ?? "queued";
    }
    const done = performance.now();
    const stats = await probes.stop();
    const peak = rss.stop();
    const hwm = await procStatus(pid, "VmHWM");
    const [largest] = await db.$queryRawUnsafe<{ bytes: number | bigint | null; pages: number | bigint }[]>(
      `SELECT MAX(length("rejects")) AS "bytes", COUNT(*) AS "pages" FROM "ImportRejectPage" WHERE "importId" = ?`,
      answer.importId,
    );
    const { size } = await stat(file);
    report.push(
      `${TITLES[name]}: ${(size / MB).toFixed(1)} MB, ${rowCounts[name]!.toLocaleString("en")} rows → ${record.status}${record.message ? ` (${record.message.slice(0, 80)})` : ""}, ` +
        `${record.acceptedRows.toLocaleString("en")} accepted, ${record.rejectedRows.toLocaleString("en")} rejected rows (${record.rejectCount.toLocaleString("en")} problems)`,
      `  upload ${((uploaded - began) / 1000).toFixed(1)} s, import (upload to done) ${((done - began) / 1000).toFixed(1)} s`,
      `  catalog probes: p50 ${stats.p50.toFixed(0)} ms, p99 ${stats.p99.toFixed(0)} ms, max ${stats.max.toFixed(0)} ms (${stats.count} probes, ${stats.failures})  [goal p99 ≤ 100 ms]`,
      `  by phase of the import: ${stats.phases.join("; ")}`,
      `  server RSS ${(rssBefore / MB).toFixed(0)} MB before, peak ${(peak / MB).toFixed(0)} MB sampled, ${(hwm / MB).toFixed(0)} MB VmHWM  [goal < 300 MB]`,
      `  reject pages: ${Number(largest?.pages ?? 0)}, largest ${(Number(largest?.bytes ?? 0) / 1024).toFixed(0)} KB`,
    );
    console.log(report.slice(-6).join("\n"));
  }
  console.log(`\nImports beside a learner at ${PROBES_PER_SECOND} requests/s (SQLite, production build):`);
  console.log(report.join("\n"));
} finally {
  server.kill("SIGTERM");
  await once(server, "exit").catch(() => {});
  await db.$disconnect();
  await logFile.close();
  const logged = (await readFile(serverLog, "utf8")).split("\n").filter((line) => /"level":(40|50|60)/.test(line));
  if (logged.length)
    console.log(
      `\nThe server logged ${logged.length} warnings or errors (${path.relative(process.cwd(), serverLog)}).`,
    );
  await rm(scratch, { recursive: true, force: true });
}
