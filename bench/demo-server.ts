// A production server (server.js, from `npm run build`) on a fresh SQLite
// database holding what `npm start` loads: reference data, demo accounts and
// roster, courses/. The demo learner is enrolled in the first course with a
// video lesson, and sessions are made with the app's own code.
// Shared by bench/pages.ts and bench/playable.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";

export type Demo = {
  databaseUrl: string;
  mediaDir: string;
  /** The first published video lesson, e.g. /courses/cat-intro/01-… */
  lessonPath: string;
  learnerToken: string;
  coordinatorToken: string;
};

/** Sets DATABASE_URL and MEDIA_DIR for this process: call before anything imports the app's modules. */
export async function prepareDemo(out: string): Promise<Demo> {
  const databaseUrl = `file:${path.join(out, "demo.db")}`;
  const mediaDir = path.join(out, "media");
  process.env.DATABASE_URL = databaseUrl;
  process.env.MEDIA_DIR = mediaDir;
  const { generateSessionToken, createSession } = await import("~/auth/session.server");
  const { prepareDatabase } = await import("~/setup/prepare.server");
  const { createDb } = await import("~/utils/db.server");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await prepareDatabase({ coursesDir: path.resolve("courses"), demo: true, log: () => {} });
  const db = createDb(databaseUrl);
  const learner = await db.user.findUniqueOrThrow({ where: { email: "hocvien@taphuan.vn" } });
  const coordinator = await db.user.findUniqueOrThrow({ where: { email: "dieuphoi@taphuan.vn" } });
  const lesson = await db.lesson.findFirstOrThrow({
    where: { videoAssetId: { not: null }, course: { status: "PUBLISHED" } },
    orderBy: [{ course: { code: "asc" } }, { position: "asc" }],
    select: { slug: true, courseId: true, course: { select: { code: true } } },
  });
  await db.enrolment.upsert({
    where: { userId_courseId: { userId: learner.id, courseId: lesson.courseId } },
    create: { userId: learner.id, courseId: lesson.courseId },
    update: {},
  });
  await db.$disconnect();
  const learnerToken = generateSessionToken();
  await createSession(learnerToken, learner.id);
  const coordinatorToken = generateSessionToken();
  await createSession(coordinatorToken, coordinator.id);
  return {
    databaseUrl,
    mediaDir,
    lessonPath: `/courses/${lesson.course.code}/${lesson.slug}`,
    learnerToken,
    coordinatorToken,
  };
}

/** Starts `node server.js` (with `node --cpu-prof` when profileDir is set) and resolves once it listens. */
export function startServer(demo: Demo, port: number, profileDir?: string): Promise<ChildProcess> {
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  return new Promise((resolve, reject) => {
    const child = spawn("node", [...profile, "server.js"], {
      env: {
        ...process.env,
        DATABASE_URL: demo.databaseUrl,
        MEDIA_DIR: demo.mediaDir,
        PORT: String(port),
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    // Read on to the end: a full pipe would stall the server's logging.
    child.stdout!.on("data", (chunk: Buffer) => {
      if (/ready/.test(chunk.toString())) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`server.js exited with ${code}`)));
  });
}

export async function stopServer(server: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await exited; // a profile is written as it exits
}
