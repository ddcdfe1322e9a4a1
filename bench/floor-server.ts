// The floor for bench/progress.ts: a bare node:http server over better-sqlite3
// doing the same work per report as the app's progress endpoint (session
// lookup, lesson and enrolment checks, read-merge-write of the watched
// ranges), with none of the framework around it.
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { coveredSeconds, mergeIntervals, type Interval } from "~/learning/intervals";
import { sqliteFilePath } from "~/utils/env.server";

const db = new Database(sqliteFilePath(process.env.DATABASE_URL!));
db.pragma("journal_mode = WAL");
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = NORMAL");

const session = db.prepare(`SELECT "userId", "expiresAt" FROM "Session" WHERE "id" = ?`);
const lesson = db.prepare(`SELECT "courseId", "durationSeconds" FROM "Lesson" WHERE "id" = ?`);
const enrolment = db.prepare(`SELECT 1 FROM "Enrolment" WHERE "userId" = ? AND "courseId" = ?`);
const progress = db.prepare(`SELECT "id", "watchedIntervals", "version" FROM "LessonProgress" WHERE "userId" = ? AND "lessonId" = ?`);
const insert = db.prepare(
  `INSERT INTO "LessonProgress" ("id", "userId", "lessonId", "watchedIntervals", "watchedSeconds", "lastPosition", "version", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
);
const update = db.prepare(
  `UPDATE "LessonProgress" SET "watchedIntervals" = ?, "watchedSeconds" = ?, "lastPosition" = ?, "version" = "version" + 1, "updatedAt" = ? WHERE "id" = ? AND "version" = ?`,
);

let ids = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const token = /th_session=([a-z2-7]{32})/.exec(req.headers.cookie ?? "")?.[1];
    const user = token
      ? (session.get(createHash("sha256").update(token).digest("hex")) as { userId: string; expiresAt: string } | undefined)
      : undefined;
    if (!user || Date.parse(user.expiresAt) <= Date.now()) return void res.writeHead(401).end();
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { lessonId: string; intervals: Interval[]; position: number };
    const l = lesson.get(body.lessonId) as { courseId: string; durationSeconds: number } | undefined;
    if (!l || !enrolment.get(user.userId, l.courseId)) return void res.writeHead(403).end();
    const now = new Date().toISOString(); // the format Prisma's SQLite adapter writes
    const row = progress.get(user.userId, body.lessonId) as { id: string; watchedIntervals: string; version: number } | undefined;
    const merged = mergeIntervals([...(row ? (JSON.parse(row.watchedIntervals) as Interval[]) : []), ...body.intervals]);
    if (row) update.run(JSON.stringify(merged), coveredSeconds(merged), body.position, now, row.id, row.version);
    else insert.run(`floor${process.pid}x${ids++}`, user.userId, body.lessonId, JSON.stringify(merged), coveredSeconds(merged), body.position, now);
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ ok: true }));
  });
});
server.listen(Number(process.env.PORT), () => console.log("floor ready"));
