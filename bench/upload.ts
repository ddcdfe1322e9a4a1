// Upload benchmark for the local storage path:
//   npx remix vite:build && npm run bench:upload [-- --size-mb 1024 --typical-mb 60]
// Starts the production server (node server.js) on a scratch database and
// media folder, signs in a trainer, and uploads through the same chunk API
// the browser uses (8 MB PUTs):
//   1. a 1 GB MP4 (4 minutes long): throughput, and the server's peak RSS
//      (sampled from /proc while it runs, and VmHWM at the end);
//   2. a 4-minute file of a typical lecture size: time from the last byte
//      sent to the lesson being ready (the server's finalize step: sniff,
//      container probe, SHA-256, commit, database transaction).
// The files are generated (tests/fixtures/media-files.ts) into bench/out/.
import { spawn, type ChildProcess } from "node:child_process";
import { open, mkdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { writeMp4 } from "../tests/fixtures/media-files";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const BIG_MB = option("size-mb", 1024);
const TYPICAL_MB = option("typical-mb", 60);
const PORT = option("port", 3290);
const MB = 1024 * 1024;

const out = path.resolve("bench/out");
const scratch = path.join(out, "upload-run");
process.env.DATABASE_URL = `file:${path.join(scratch, "bench.db")}`;
process.env.MEDIA_DIR = path.join(scratch, "media");
process.env.NODE_ENV = "production";
process.env.MAX_UPLOAD_BYTES = String(Math.max(BIG_MB, TYPICAL_MB) * MB + MB);

async function procStatus(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(text);
  return match ? Number(match[1]) * 1024 : 0;
}

async function waitForServer(url: string, server: ChildProcess) {
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error("the server exited; run `npx remix vite:build` first");
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the server did not start");
}

type Result = { seconds: number; finalizeMs: number; lastRequestMs: number; peakRss: number; chunkBytes: number };

async function upload(
  base: string,
  cookie: string,
  target: { courseId: string; lessonId: string },
  file: string,
  pid: number,
): Promise<Result> {
  const { size } = await stat(file);
  const start = await fetch(`${base}/api/uploads`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie },
    body: JSON.stringify({ purpose: "LESSON_VIDEO", ...target, fileName: path.basename(file), sizeBytes: size }),
  });
  // The chunk size the server asks for (UPLOAD_CHUNK_BYTES), as the browser uses it.
  const started = (await start.json()) as { ok: boolean; url: string; chunkBytes: number };
  const CHUNK = started.chunkBytes;
  if (!started.ok) throw new Error(`upload refused: ${JSON.stringify(started)}`);

  let peakRss = 0;
  const sampler = setInterval(() => {
    void procStatus(pid, "VmRSS").then((rss) => (peakRss = Math.max(peakRss, rss)));
  }, 50);
  const handle = await open(file, "r");
  const buffer = Buffer.alloc(CHUNK);
  const began = performance.now();
  let finalizeMs = 0;
  let lastRequestMs = 0;
  try {
    for (let first = 0; first < size; first += CHUNK) {
      const length = Math.min(CHUNK, size - first);
      await handle.read(buffer, 0, length, first);
      const sent = performance.now();
      const response = await fetch(`${base}${started.url}`, {
        method: "PUT",
        headers: {
          Cookie: cookie,
          "Content-Range": `bytes ${first}-${first + length - 1}/${size}`,
          "Content-Type": "video/mp4",
        },
        body: new Uint8Array(buffer.buffer, 0, length),
      });
      await response.arrayBuffer();
      lastRequestMs = performance.now() - sent;
      if (response.status === 200) {
        finalizeMs = Number(/finalize;dur=(\d+)/.exec(response.headers.get("Server-Timing") ?? "")?.[1] ?? 0);
      } else if (response.status !== 202) {
        throw new Error(`chunk at ${first}: HTTP ${response.status}`);
      }
    }
  } finally {
    clearInterval(sampler);
    await handle.close();
  }
  return { seconds: (performance.now() - began) / 1000, finalizeMs, lastRequestMs, peakRss, chunkBytes: CHUNK };
}

await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });
const big = path.join(out, `bench-${BIG_MB}mb-4min.mp4`);
const typical = path.join(out, `bench-${TYPICAL_MB}mb-4min.mp4`);
for (const [file, mb] of [
  [big, BIG_MB],
  [typical, TYPICAL_MB],
] as const) {
  if ((await stat(file).catch(() => null))?.size !== undefined) continue;
  console.log(`Generating ${path.relative(process.cwd(), file)} (${mb} MB, 4:00)…`);
  await writeMp4(file, { durationSeconds: 240, withAudio: true, mediaBytes: mb * MB - 4096 });
}

// Database, demo accounts and a draft course with two lessons, made with the app's own code.
const { migrate } = await import("~/utils/migrate.server");
const { seedDemoUsers, seedReferenceData } = await import("~/setup/seed.server");
const { startSession } = await import("~/auth/auth.server");
const { addLesson, createCourse } = await import("~/teach/courses.server");
const { db } = await import("~/utils/db.server");
await migrate(process.env.DATABASE_URL);
await seedReferenceData();
await seedDemoUsers();
const trainer = await db.user.findUniqueOrThrow({ where: { email: "giangvien@taphuan.vn" } });
const course = await createCourse(trainer, {
  convention: "CAT",
  title: "Benchmark",
  titleEn: null,
  summary: "Upload benchmark",
  summaryEn: null,
  language: "vi",
  code: null,
});
if (!course.ok) throw new Error("course not created");
const lessonIds: string[] = [];
for (const title of ["Big file", "Typical file"]) {
  const lesson = await addLesson(course.courseId, { title, titleEn: null, language: "vi", slug: null });
  if (!lesson.ok) throw new Error("lesson not created");
  lessonIds.push(lesson.lessonId);
}
const cookie = (await startSession(trainer.id)).split(";")[0]!;

const server = spawn(process.execPath, ["server.js"], {
  env: { ...process.env, PORT: String(PORT), SECURE_COOKIES: "false" },
  stdio: ["ignore", "ignore", "inherit"],
});
const base = `http://localhost:${PORT}`;
try {
  await waitForServer(base, server);
  const idleRss = await procStatus(server.pid!, "VmRSS");
  console.log(`Server ready (pid ${server.pid}), RSS at rest ${(idleRss / MB).toFixed(0)} MB.`);

  const bigResult = await upload(
    base,
    cookie,
    { courseId: course.courseId, lessonId: lessonIds[0]! },
    big,
    server.pid!,
  );
  const hwm = await procStatus(server.pid!, "VmHWM");
  const typicalResult = await upload(
    base,
    cookie,
    { courseId: course.courseId, lessonId: lessonIds[1]! },
    typical,
    server.pid!,
  );
  const ready = await db.lesson.count({
    where: { id: { in: lessonIds }, videoAsset: { status: "READY" }, durationSeconds: 240 },
  });
  if (ready !== 2) throw new Error("the lessons did not get their videos");

  console.log("");
  console.log(`Local upload of ${BIG_MB} MB in ${bigResult.chunkBytes / MB} MB chunks over HTTP on localhost:`);
  console.log(`  total time          ${bigResult.seconds.toFixed(1)} s`);
  console.log(`  throughput          ${(BIG_MB / bigResult.seconds).toFixed(0)} MB/s`);
  console.log(
    `  server peak RSS     ${(bigResult.peakRss / MB).toFixed(0)} MB sampled, ${(hwm / MB).toFixed(0)} MB VmHWM (aim ≤ 200 MB)`,
  );
  console.log(
    `  last chunk → ready  ${bigResult.finalizeMs} ms on the server (${bigResult.lastRequestMs.toFixed(0)} ms for the last request)`,
  );
  console.log(`4-minute file of ${TYPICAL_MB} MB:`);
  console.log(
    `  total time          ${typicalResult.seconds.toFixed(1)} s (${(TYPICAL_MB / typicalResult.seconds).toFixed(0)} MB/s)`,
  );
  console.log(
    `  upload finished → lesson ready  ${typicalResult.finalizeMs} ms on the server (${typicalResult.lastRequestMs.toFixed(0)} ms for the last request)`,
  );
} finally {
  server.kill("SIGTERM");
  await db.$disconnect();
  await rm(scratch, { recursive: true, force: true });
}
