// How fast can a script earn a certificate through the HTTP interface alone?
// Starts the production build on a fresh SQLite file, seeds a published
// course, signs a learner in, and runs bench/forgery-attack.ts against it.
// Prints the fastest time achieved beside the bound the server promises:
// 0.45 × the course's total video time (90 % of every lesson at 2×).
//   npm run build && npm run bench:forgery
// BENCH_LESSONS="60,90,45" sets the lesson lengths in seconds.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { forgeCertificate } from "./forgery-attack";

const DURATIONS = (process.env.BENCH_LESSONS ?? "60,90,45").split(",").map(Number);
if (DURATIONS.some((d) => !Number.isFinite(d) || d <= 0))
  throw new Error("BENCH_LESSONS: comma-separated positive seconds");
const PORT = 3903;
const out = path.resolve("bench/out/forgery");
const DATABASE_URL = `file:${path.join(out, "forgery.db")}`;
process.env.DATABASE_URL = DATABASE_URL;
const { generateSessionToken, sessionIdFromToken } = await import("~/auth/session.server");
const { seedReferenceData } = await import("~/setup/seed.server");
const { createDb } = await import("~/utils/db.server");
const { migrate } = await import("~/utils/migrate.server");

async function prepare() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await migrate(DATABASE_URL);
  await seedReferenceData();
  const db = createDb(DATABASE_URL);
  const convention = await db.convention.findUniqueOrThrow({ where: { code: "ICCPR" } });
  const course = await db.course.create({
    data: {
      code: "forgery-course",
      conventionId: convention.id,
      language: "vi",
      title: "Forgery",
      summary: "Forgery",
      status: "PUBLISHED",
      lessons: {
        create: DURATIONS.map((d, i) => ({
          slug: `l${i}`,
          position: i,
          title: `L${i}`,
          language: "vi",
          durationSeconds: d,
        })),
      },
    },
    include: { lessons: { orderBy: { position: "asc" } } },
  });
  const user = await db.user.create({ data: { email: "forger@example.vn", name: "Forger", passwordHash: "x" } });
  const token = generateSessionToken();
  await db.session.create({
    data: { id: sessionIdFromToken(token), userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) },
  });
  await db.enrolment.create({ data: { userId: user.id, courseId: course.id } });
  await db.$disconnect();
  return {
    cookie: `th_session=${token}`,
    lessons: course.lessons.map((l) => ({ id: l.id, durationSeconds: l.durationSeconds! })),
    userId: user.id,
  };
}

function start(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", ["server.js"], {
      env: {
        ...process.env,
        DATABASE_URL,
        PORT: String(PORT),
        NODE_ENV: "production",
        MEDIA_DIR: path.join(out, "media"),
        JOB_RUNNER: "false",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      if (/ready/.test(chunk.toString())) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

const { cookie, lessons, userId } = await prepare();
const total = DURATIONS.reduce((a, b) => a + b, 0);
const bound = 0.45 * total;
console.log(
  `Course of ${DURATIONS.length} lessons (${DURATIONS.join(" + ")} = ${total} s of video); the server promises no certificate before ${bound.toFixed(1)} s.`,
);
const server = await start();
const result = await forgeCertificate({
  baseUrl: `http://127.0.0.1:${PORT}`,
  cookie,
  lessons,
  deadlineMs: (bound + 60) * 1000,
});
server.kill("SIGTERM");

const db = createDb(DATABASE_URL);
const certificate = await db.courseCompletion.findFirst({ where: { userId }, select: { completedAt: true } });
await db.$disconnect();
console.table([
  {
    "certificate earned": result.completed && certificate !== null,
    "fastest (s)": Number((result.elapsedMs / 1000).toFixed(2)),
    "bound (s)": Number(bound.toFixed(2)),
    "ratio to video time": Number((result.elapsedMs / 1000 / total).toFixed(3)),
    requests: result.requests,
    "refused too_fast": result.refusedTooFast,
  },
]);
if (result.elapsedMs / 1000 < bound) {
  console.error("The attack beat the bound: the watch clock is broken.");
  process.exit(1);
}
process.exit(0);
